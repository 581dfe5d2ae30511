package dev.agentwatch.detectors.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentwatch.detectors.DetectionConfig;
import dev.agentwatch.detectors.DetectorMetrics;
import dev.agentwatch.model.AgentMetrics;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunStatus;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepMetrics;
import dev.agentwatch.model.StepSample;
import dev.agentwatch.model.StepSamples;
import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsTopologyTest {
    private static final long MINUTE_MS = 60_000;
    private static final long T0_MS = 29_931_000L * MINUTE_MS;

    private final DetectorMetrics metrics = new DetectorMetrics();
    private TopologyTestDriver driver;
    private TestInputTopic<String, StepSamples> samples;
    private TestInputTopic<String, Run> runs;
    private TestInputTopic<String, byte[]> rawRuns;
    private TestOutputTopic<String, StepMetrics> stepMetrics;
    private TestOutputTopic<String, AgentMetrics> agentMetrics;
    private TestOutputTopic<String, Finding> findings;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void createDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        driver = new TopologyTestDriver(MetricsTopology.build(DetectionConfig.defaults(), metrics), props);
        samples = driver.createInputTopic(Topics.STEP_SAMPLES.name(), Serdes.String().serializer(),
                Topics.STEP_SAMPLES.valueSerde().serializer());
        runs = driver.createInputTopic(Topics.RUNS.name(), Serdes.String().serializer(), Topics.RUNS.valueSerde().serializer());
        rawRuns = driver.createInputTopic(Topics.RUNS.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        stepMetrics = driver.createOutputTopic(Topics.STEP_METRICS.name(), Serdes.String().deserializer(),
                Topics.STEP_METRICS.valueSerde().deserializer());
        agentMetrics = driver.createOutputTopic(Topics.AGENT_METRICS.name(), Serdes.String().deserializer(),
                Topics.AGENT_METRICS.valueSerde().deserializer());
        findings = driver.createOutputTopic(Topics.FINDINGS.name(), Serdes.String().deserializer(),
                Topics.FINDINGS.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), Serdes.String().deserializer(),
                Topics.DEAD_LETTERS.valueSerde().deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private static StepSample sample(int i, long atMillis, double latencyMillis, boolean failed) {
        return new StepSample("acme", "claims-agent", "1.0", StepKind.LLM, "chat gpt-4o-mini", "gpt-4o-mini",
                String.format("%032x", i), String.format("%016x", i), "", atMillis * 1_000_000,
                (long) (latencyMillis * 1_000_000), failed, 100, 20, 0.001);
    }

    private void send(StepSample sample) {
        samples.pipeInput(sample.metricKey(), StepSamples.of(sample), sample.endEpochNanos() / 1_000_000);
    }

    private static Map<String, StepMetrics> latestByKey(List<StepMetrics> updates) {
        Map<String, StepMetrics> latest = new LinkedHashMap<>();
        updates.forEach(m -> latest.put(m.name() + "@" + m.windowStartEpochMillis(), m));
        return latest;
    }

    @Test
    void aggregatesStepsPerMinuteWithPercentilesFromTheSketch() {
        for (int i = 0; i < 100; i++) {
            send(sample(i, T0_MS + i * 100, i + 1, i % 10 == 0));
        }
        send(sample(200, T0_MS + MINUTE_MS + 5, 50, false));

        Map<String, StepMetrics> latest = latestByKey(stepMetrics.readValuesToList());

        StepMetrics first = latest.get("chat gpt-4o-mini@" + T0_MS);
        assertThat(first.samples()).isEqualTo(100);
        assertThat(first.errors()).isEqualTo(10);
        assertThat(first.latencyP50Ms()).isCloseTo(50, within(1.0));
        assertThat(first.latencyP99Ms()).isCloseTo(99, within(1.5));
        assertThat(first.latencyMaxMs()).isCloseTo(100, within(1.0));
        assertThat(first.latencyBucketCounts().stream().mapToLong(Long::longValue).sum()).isEqualTo(100);
        assertThat(first.inputTokens()).isEqualTo(10_000);
        assertThat(first.costUsd()).isCloseTo(0.1, within(1e-9));
        assertThat(first.agentVersion()).isEqualTo("1.0");
        assertThat(latest.get("chat gpt-4o-mini@" + (T0_MS + MINUTE_MS)).samples()).isEqualTo(1);
    }

    @Test
    void flagsALatencyOutlierOnceTheBaselineIsWarm() {
        for (int i = 0; i < 40; i++) {
            send(sample(i, T0_MS + i * 1000, 800 + (i % 5) * 40, false));
        }
        assertThat(findings.isEmpty()).isTrue();

        send(sample(99, T0_MS + 41_000, 15_000, false));

        assertThat(findings.readValuesToList()).extracting(Finding::detector, Finding::stepId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("latency_outlier", String.format("%016x", 99)));
    }

    @Test
    void countsAndJudgesARunsSamplesInOneRecordAsItWouldOneByOne() {
        for (int i = 0; i < 40; i++) {
            send(sample(i, T0_MS + i * 1000, 800 + (i % 5) * 40, false));
        }
        String runId = String.format("%032x", 500);
        List<StepSample> oneRun = List.of(
                sampleOf(runId, 501, T0_MS + 41_000, 820, false),
                sampleOf(runId, 502, T0_MS + 42_000, 15_000, false),
                sampleOf(runId, 503, T0_MS + 43_000, 900, true));

        samples.pipeInput(oneRun.getFirst().metricKey(), new StepSamples(oneRun), T0_MS + 43_000);

        assertThat(findings.readValuesToList()).extracting(Finding::detector, Finding::runId, Finding::stepId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("latency_outlier", runId, String.format("%016x", 502)));
        StepMetrics minute = latestByKey(stepMetrics.readValuesToList()).get("chat gpt-4o-mini@" + T0_MS);
        assertThat(minute.samples()).isEqualTo(43);
        assertThat(minute.errors()).isEqualTo(1);
        assertThat(minute.latencyMaxMs()).isCloseTo(15_000, within(150.0));
        KeyValueStore<String, StepBaselines> baselines = driver.getKeyValueStore(MetricsTopology.BASELINES_STORE);
        assertThat(baselines.get(oneRun.getFirst().metricKey()).quantities().getFirst().samples())
                .as("every sample of the record learned").isEqualTo(43);
    }

    @Test
    void readsTheSingleSamplesOfFormatVersionOne() throws java.io.IOException {
        StepSample single = sample(7, T0_MS, 800, true);
        TestInputTopic<String, byte[]> rawSamples = driver.createInputTopic(Topics.STEP_SAMPLES.name(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer());

        rawSamples.pipeInput(single.metricKey(), versionOne(single), T0_MS);

        StepMetrics minute = latestByKey(stepMetrics.readValuesToList()).get("chat gpt-4o-mini@" + T0_MS);
        assertThat(minute.samples()).isEqualTo(1);
        assertThat(minute.errors()).isEqualTo(1);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    /** A sample as releases before the batched format wrote it: format version 1, field by field. */
    private static byte[] versionOne(StepSample s) throws java.io.IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(1);
            for (String field : List.of(s.tenant(), s.agentName(), s.agentVersion(), s.kind().name(), s.name(), s.model(),
                    s.runId(), s.stepId(), s.subjectId())) {
                out.writeUTF(field);
            }
            out.writeLong(s.endEpochNanos());
            out.writeLong(s.durationNanos());
            out.writeBoolean(s.failed());
            out.writeLong(s.inputTokens());
            out.writeLong(s.outputTokens());
            out.writeDouble(s.costUsd());
        }
        return bytes.toByteArray();
    }

    private static StepSample sampleOf(String runId, int step, long atMillis, double latencyMillis, boolean failed) {
        return new StepSample("acme", "claims-agent", "1.0", StepKind.LLM, "chat gpt-4o-mini", "gpt-4o-mini", runId,
                String.format("%016x", step), "", atMillis * 1_000_000, (long) (latencyMillis * 1_000_000), failed, 100,
                20, 0.001);
    }

    @Test
    void forgetsTheBaselineOfAStepNotSeenForTheRetention() {
        StepSample gone = sample(1, T0_MS, 800, false);
        send(gone);
        long later = T0_MS + OutlierProcessor.RETENTION.toMillis() + 2 * 3_600_000L;
        StepSample still = new StepSample("acme", "claims-agent", "2.0", StepKind.TOOL, "lookup_policy", "",
                String.format("%032x", 2), String.format("%016x", 2), "", later * 1_000_000, 50_000_000, false, 0, 0, 0);
        send(still);

        KeyValueStore<String, StepBaselines> baselines = driver.getKeyValueStore(MetricsTopology.BASELINES_STORE);
        assertThat(baselines.get(gone.metricKey())).as("not seen for the retention").isNull();
        assertThat(baselines.get(still.metricKey()).lastSeenMillis()).isEqualTo(later);
        assertThat(metrics.count(DetectorMetrics.BASELINES_FORGOTTEN, "retention")).isEqualTo(1);
    }

    @Test
    void readsBaselinesWrittenBeforeTheirLastSeenTimeWasKept() {
        java.nio.ByteBuffer before = java.nio.ByteBuffer.allocate(1 + 24).put((byte) 1).putLong(40).putDouble(6.5)
                .putDouble(0.2);

        StepBaselines read = DetectorStateSerdes.baselines().deserializer().deserialize("t", before.array());

        assertThat(read.quantities()).containsExactly(new dev.agentwatch.detectors.detect.Baseline(40, 6.5, 0.2));
        assertThat(read.lastSeenMillis()).isEqualTo(StepBaselines.NOT_RECORDED);
        StepBaselines now = new StepBaselines(read.quantities(), T0_MS);
        assertThat(DetectorStateSerdes.baselines().deserializer().deserialize("t",
                DetectorStateSerdes.baselines().serializer().serialize("t", now))).isEqualTo(now);
    }

    private static Run run(int i, long closedAtMillis, RunStatus status, int steps, int revision) {
        return run(i, closedAtMillis, status, steps, revision, "1.0");
    }

    private static Run run(int i, long closedAtMillis, RunStatus status, int steps, int revision, String version) {
        long end = closedAtMillis * 1_000_000;
        return new Run("acme", String.format("%032x", i), "svc", "claims-agent", version, List.of("gpt-4o-mini"), "r",
                "root", end - 2_000_000_000L, end, status, steps, 2, 1, status == RunStatus.ERROR ? 1 : 0, 0,
                i % 4 == 0 ? 1 : 0, 100, 20, 0.01, List.of(), "", "", "", Double.NaN, "", 0, revision, closedAtMillis);
    }

    @Test
    void aggregatesFirstRevisionsOfRunsPerAgentAndMinute() {
        for (int i = 0; i < 8; i++) {
            Run r = run(i, T0_MS + i * 1000, i < 6 ? RunStatus.OK : RunStatus.ERROR, 3 + i % 2, 0);
            runs.pipeInput(r.runId(), r, r.closedAtEpochMillis());
        }
        Run revision = run(0, T0_MS + 9000, RunStatus.OK, 4, 1);
        runs.pipeInput(revision.runId(), revision, revision.closedAtEpochMillis());

        List<AgentMetrics> updates = agentMetrics.readValuesToList();
        AgentMetrics minute = updates.getLast();

        assertThat(minute.runs()).isEqualTo(8);
        assertThat(minute.okRuns()).isEqualTo(6);
        assertThat(minute.errorRuns()).isEqualTo(2);
        assertThat(minute.handoffRuns()).isEqualTo(2);
        assertThat(minute.stepsPerRun()).containsExactly(3L, 4L);
        assertThat(minute.stepsPerRunCounts()).containsExactly(4L, 4L);
        assertThat(minute.modelCallsPerRun()).containsExactly(2L);
        assertThat(minute.successRate()).isEqualTo(0.75);
        assertThat(minute.durationP50Ms()).isCloseTo(2000, within(20.0));
    }

    /**
     * Seven minutes of 20 runs with one failure each, a minute with 12 of 20 failed (every other
     * run of it of {@code spikeRolloutVersion}), and a run after it that closes the minute.
     */
    private void sendAnErrorRateSpike(String spikeRolloutVersion) {
        int id = 0;
        for (int minute = 0; minute < 8; minute++) {
            for (int i = 0; i < 20; i++) {
                boolean failed = minute == 7 ? i < 12 : i == 0;
                String version = minute == 7 && i % 2 == 1 ? spikeRolloutVersion : "1.0";
                Run r = run(id++, T0_MS + minute * MINUTE_MS + i * 100, failed ? RunStatus.ERROR : RunStatus.OK, 3, 0,
                        version);
                runs.pipeInput(r.runId(), r, r.closedAtEpochMillis());
            }
        }
        Run next = run(id, T0_MS + 8 * MINUTE_MS + 1, RunStatus.OK, 3, 0);
        runs.pipeInput(next.runId(), next, next.closedAtEpochMillis());
    }

    private void assertOneSpikeOfTwelveFailedRuns() {
        assertThat(findings.readValuesToList()).singleElement().satisfies(f -> {
            assertThat(f.detector()).isEqualTo("error_rate_spike");
            assertThat(f.evidence()).containsEntry("failed_runs", "12");
        });
    }

    @Test
    void flagsAnErrorRateSpikeOfAnAgent() {
        sendAnErrorRateSpike("1.0");

        assertOneSpikeOfTwelveFailedRuns();
    }

    @Test
    void flagsAnErrorRateSpikeOfAnAgentWhoseRunsAreOfSeveralVersions() {
        // A rollout: every other run of the spike's minute is of the new version.
        sendAnErrorRateSpike("2.0");

        assertOneSpikeOfTwelveFailedRuns();
        assertThat(latestAgentMinutes(agentMetrics.readValuesToList(), T0_MS + 7 * MINUTE_MS))
                .as("the agent windows stay per version").containsEntry("1.0", 10L).containsEntry("2.0", 10L);
    }

    private static Map<String, Long> latestAgentMinutes(List<AgentMetrics> updates, long windowStart) {
        Map<String, Long> runsByVersion = new LinkedHashMap<>();
        updates.stream().filter(m -> m.windowStartEpochMillis() == windowStart)
                .forEach(m -> runsByVersion.put(m.agentVersion(), m.runs()));
        return runsByVersion;
    }

    @Test
    void placesEveryVersionOfAnAgentWhereTheProducerPlacesTheAgentsOwnKey() {
        Run old = run(1, T0_MS, RunStatus.OK, 3, 0, "1.0");
        Run rollout = run(2, T0_MS, RunStatus.OK, 3, 0, "2.0");
        byte[] agent = "acme\u001fclaims-agent".getBytes(StandardCharsets.UTF_8);

        for (int partitions : new int[] {1, 3, 12, 50}) {
            int expected = org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(agent, partitions);
            assertThat(MetricsTopology.byAgent("t", "acme\u001fclaims-agent\u001f1.0", old, partitions)).hasValue(Set.of(expected));
            assertThat(MetricsTopology.byAgent("t", "acme\u001fclaims-agent\u001f2.0", rollout, partitions))
                    .hasValue(Set.of(expected));
        }
    }

    @Test
    void sendsUndecodableRunsToTheDeadLetterTopic() {
        rawRuns.pipeInput("x", "nope".getBytes(StandardCharsets.UTF_8));

        assertThat(deadLetters.readValue().reason()).isEqualTo("undecodable_agentwatch_runs");
        assertThat(metrics.count(DetectorMetrics.RECORDS_DEAD_LETTERED, "undecodable_agentwatch_runs")).isEqualTo(1);
    }
}
