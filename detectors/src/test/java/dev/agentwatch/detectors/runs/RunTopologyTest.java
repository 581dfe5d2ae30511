package dev.agentwatch.detectors.runs;

import static dev.agentwatch.detectors.TestRuns.llm;
import static dev.agentwatch.detectors.TestRuns.root;
import static dev.agentwatch.detectors.TestRuns.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.agentwatch.detectors.DetectionConfig;
import dev.agentwatch.detectors.DetectorMetrics;
import dev.agentwatch.detectors.TestRuns;
import dev.agentwatch.detectors.detect.RunDetector;
import dev.agentwatch.detectors.detect.RunTrace;
import dev.agentwatch.detectors.detect.UnfinishedRunDetector;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunStatus;
import dev.agentwatch.model.Severity;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepBatch;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepSample;
import dev.agentwatch.model.StepSamples;
import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RunTopologyTest {
    private static final RunAssemblyConfig ASSEMBLY = new RunAssemblyConfig(Duration.ofMinutes(5), Duration.ofHours(1),
            Duration.ofSeconds(30), 1000, Duration.ofSeconds(1));

    private final DetectorMetrics metrics = new DetectorMetrics();
    private TopologyTestDriver driver;
    private TestInputTopic<String, StepBatch> steps;
    private TestInputTopic<String, byte[]> rawSteps;
    private TestOutputTopic<String, Run> runs;
    private TestOutputTopic<String, Finding> findings;
    private TestOutputTopic<String, StepSamples> samples;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void createDriver() {
        createDriver(DetectionConfig.defaults().withRuns(ASSEMBLY));
    }

    private void createDriver(DetectionConfig config) {
        driver = new TopologyTestDriver(RunTopology.build(config, metrics), driverProperties(), Instant.ofEpochMilli(1_000_000));
        bindTopics();
    }

    private static Properties driverProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "runs-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return props;
    }

    private void bindTopics() {
        steps = driver.createInputTopic(Topics.STEPS.name(), Topics.STEPS.keySerde().serializer(),
                Topics.STEPS.valueSerde().serializer());
        rawSteps = driver.createInputTopic(Topics.STEPS.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        runs = driver.createOutputTopic(Topics.RUNS.name(), Topics.RUNS.keySerde().deserializer(),
                Topics.RUNS.valueSerde().deserializer());
        findings = driver.createOutputTopic(Topics.FINDINGS.name(), Topics.FINDINGS.keySerde().deserializer(),
                Topics.FINDINGS.valueSerde().deserializer());
        samples = driver.createOutputTopic(Topics.STEP_SAMPLES.name(), Topics.STEP_SAMPLES.keySerde().deserializer(),
                Topics.STEP_SAMPLES.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), Topics.DEAD_LETTERS.keySerde().deserializer(),
                Topics.DEAD_LETTERS.valueSerde().deserializer());
    }

    /** The driver again, keeping at most {@code maxSteps} steps per run, everything else as {@link #ASSEMBLY}. */
    private void recreateDriverWithStepCap(int maxSteps) {
        driver.close();
        createDriver(DetectionConfig.defaults().withRuns(new RunAssemblyConfig(ASSEMBLY.inactivityGap(),
                ASSEMBLY.closedRetention(), ASSEMBLY.idleAfter(), maxSteps, ASSEMBLY.punctuationInterval())));
    }

    /** The driver again, with these run detectors instead of the configured ones. */
    private void recreateDriverWithDetectors(List<RunDetector> detectors) {
        driver.close();
        driver = new TopologyTestDriver(RunTopology.build(DetectionConfig.defaults().withRuns(ASSEMBLY), detectors, metrics),
                driverProperties(), Instant.ofEpochMilli(1_000_000));
        bindTopics();
    }

    /** A run detector for a test: its name and what it finds; late steps cannot disprove it. */
    private static RunDetector detector(String name, Function<RunTrace, List<Finding>> inspect) {
        return detector(name, inspect, false);
    }

    private static RunDetector detector(String name, Function<RunTrace, List<Finding>> inspect, boolean disprovable) {
        return new RunDetector() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<Finding> inspect(RunTrace trace) {
                return inspect.apply(trace);
            }

            @Override
            public boolean lateStepsCanDisprove() {
                return disprovable;
            }
        };
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    /** The samples of the records on the samples topic so far, in order. */
    private List<StepSample> readSamples() {
        return samples.readValuesToList().stream().flatMap(record -> record.samples().stream()).toList();
    }

    private void send(TestRuns.StepBuilder... builders) {
        for (TestRuns.StepBuilder builder : builders) {
            Step step = builder.build();
            steps.pipeInput(step.runId(), StepBatch.of(step), step.endEpochNanos() / 1_000_000);
        }
    }

    @Test
    void closesTheRunWhenItsRootEndsWithItsSummaryFindingsAndSamples() {
        send(llm("0000000000000001", 0).requests("c1", "check_coverage", "h"),
                tool("0000000000000002", "check_coverage", "h", 600).failed("TimeoutException", "timed out"),
                llm("0000000000000003", 1000),
                root().subject("CLAIM-1").claims("approved"));

        Run run = runs.readValue();
        assertThat(run.status()).isEqualTo(RunStatus.OK);
        assertThat(run.steps()).isEqualTo(4);
        assertThat(run.llmCalls()).isEqualTo(2);
        assertThat(run.toolCalls()).isEqualTo(1);
        assertThat(run.errors()).isEqualTo(1);
        assertThat(run.agentName()).as("from the root that arrived last").isEqualTo("claims-agent");
        assertThat(run.subjectId()).isEqualTo("CLAIM-1");
        assertThat(run.costUsd()).isEqualTo(0.0002, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(run.path()).containsExactly("claims-agent", "chat gpt-4o-mini", "check_coverage", "chat gpt-4o-mini");
        assertThat(run.revision()).isZero();
        assertThat(runs.isEmpty()).isTrue();
        List<Finding> found = findings.readValuesToList();
        assertThat(found).extracting(Finding::detector).containsExactly("swallowed_error");
        assertThat(found.getFirst().detectedEpochMillis()).as("processing time of the driver").isEqualTo(1_000_000);
        assertThat(found.getFirst().subjectId()).isEqualTo("CLAIM-1");
        List<StepSamples> records = samples.readValuesToList();
        assertThat(records).as("a record per metric key: the two LLM calls share one").hasSize(3)
                .extracting(r -> r.samples().size()).containsExactlyInAnyOrder(1, 1, 2);
        assertThat(records).filteredOn(r -> r.samples().size() == 2).singleElement()
                .satisfies(r -> assertThat(r.metricKey()).contains("chat gpt-4o-mini"));
        assertThat(records).flatMap(StepSamples::samples).hasSize(4)
                .allSatisfy(s -> assertThat(s.agentName()).isEqualTo("claims-agent"));
        assertThat(metrics.count(DetectorMetrics.RUNS_CLOSED, "root_ended")).isEqualTo(1);
    }

    @Test
    void assemblesTheStepsOfABatchRecordEachAtItsOwnTime() {
        Step root = root().at(0, 2000).build();
        List<Step> batch = List.of(llm("0000000000000001", 0).build(),
                tool("0000000000000002", "check_coverage", "h", 600).failed("TimeoutException", "timed out").build(), root);

        // Stamped later than any of its steps: each step still gets its own end.
        steps.pipeInput(TestRuns.RUN, new StepBatch(batch), root.endEpochNanos() / 1_000_000 + 3_000);

        Run run = runs.readValue();
        assertThat(run.steps()).isEqualTo(3);
        assertThat(run.closedAtEpochMillis()).as("the root's own end").isEqualTo(root.endEpochNanos() / 1_000_000);
        assertThat(findings.readValuesToList()).extracting(Finding::detector).containsExactly("swallowed_error");
        assertThat(readSamples()).extracting(StepSample::endEpochNanos)
                .containsExactlyInAnyOrderElementsOf(batch.stream().map(Step::endEpochNanos).toList());
    }

    @Test
    void aRunWithoutRootClosesAsUnfinishedOnceStreamTimePassesTheInactivityGap() {
        send(llm("0000000000000001", 0), llm("0000000000000002", 1000));
        assertThat(runs.isEmpty()).isTrue();

        // Another run's step, 5 min 2 s later, moves the partition's stream time on.
        send(llm("0000000000000009", 302_000).run("acme", "ffffffffffffffffffffffffffffffff"));

        Run run = runs.readValue();
        assertThat(run.status()).isEqualTo(RunStatus.UNFINISHED);
        assertThat(run.closedAtEpochMillis()).isEqualTo(TestRuns.T0_NANOS / 1_000_000 + 1500 + 300_000);
        assertThat(findings.readValuesToList()).extracting(Finding::detector).containsExactly("unfinished_run");
        assertThat(metrics.count(DetectorMetrics.RUNS_CLOSED, "inactivity")).isEqualTo(1);
    }

    @Test
    void aRunReplayedWithOldTimestampsAmongLiveTrafficGetsTheWholeGap() {
        send(llm("0000000000000009", 900_000).run("acme", "ffffffffffffffffffffffffffffffff"));
        send(llm("0000000000000001", 0));
        send(llm("0000000000000008", 901_000).run("acme", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"));
        assertThat(runs.isEmpty()).as("its own steps are 15 min old, but it arrived just now").isTrue();

        send(root());

        assertThat(runs.readValue().status()).isEqualTo(RunStatus.OK);
        assertThat(findings.isEmpty()).isTrue();
    }

    @Test
    void anAgentWithItsOwnGapIsClosedByThatGapLongerOrShorter() {
        driver.close();
        RunAssemblyConfig perAgent = ASSEMBLY.withAgentInactivityGaps(Map.of("approvals-agent", Duration.ofMinutes(20),
                "batch-agent", Duration.ofMinutes(1)));
        createDriver(DetectionConfig.defaults().withRuns(perAgent));
        String approvals = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        String batch = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
        String other = "cccccccccccccccccccccccccccccccc";
        send(llm("0000000000000001", 0).run("acme", approvals).agent("approvals-agent", "v1"),
                llm("0000000000000002", 0).run("acme", batch).agent("batch-agent", "v1"),
                llm("0000000000000003", 0).run("acme", other).agent("claims-agent", "v1"));

        // Another run's step moves the partition's clock on 2 min, then 6 min, then 21 min.
        send(llm("0000000000000009", 120_000).run("acme", "ffffffffffffffffffffffffffffffff"));
        assertThat(runs.readValuesToList()).extracting(Run::runId).containsExactly(batch);
        send(llm("0000000000000008", 360_000).run("acme", "ffffffffffffffffffffffffffffffff"));
        assertThat(runs.readValuesToList()).extracting(Run::runId).containsExactly(other);
        send(llm("0000000000000007", 1_260_000).run("acme", "ffffffffffffffffffffffffffffffff"));

        Run closed = runs.readValue();
        assertThat(closed.runId()).isEqualTo(approvals);
        assertThat(closed.status()).isEqualTo(RunStatus.UNFINISHED);
        assertThat(closed.closedAtEpochMillis()).isEqualTo(TestRuns.T0_NANOS / 1_000_000 + 500 + 1_200_000);
    }

    @Test
    void aQuietPartitionClosesItsLastRunsOnTheIdleWallClock() {
        send(llm("0000000000000001", 0));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(runs.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(20));
        assertThat(runs.isEmpty()).as("not idle long enough").isTrue();

        driver.advanceWallClockTime(Duration.ofMinutes(5));

        assertThat(runs.readValue().status()).isEqualTo(RunStatus.UNFINISHED);
    }

    /**
     * After a quiet spell the partition's clock has followed the wall clock; a run whose steps are
     * stamped before that clock (an agent whose clock runs behind) still gets the whole gap, not
     * closed as unfinished at the next punctuation.
     */
    @Test
    void aRunArrivingAfterAQuietSpellWithOlderStepsGetsTheWholeGap() {
        send(llm("0000000000000009", 900_000).run("acme", "ffffffffffffffffffffffffffffffff"));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        driver.advanceWallClockTime(Duration.ofMinutes(10));
        assertThat(runs.readValue().status()).as("the quiet partition's last run").isEqualTo(RunStatus.UNFINISHED);
        findings.readValuesToList();

        send(llm("0000000000000001", 0));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(runs.isEmpty()).as("arrived just now").isTrue();
        send(root());

        assertThat(runs.readValue().status()).isEqualTo(RunStatus.OK);
        assertThat(findings.isEmpty()).isTrue();
    }

    @Test
    void aLateStepRevisesTheClosedRunAndEmitsOnlyNewFindings() {
        send(tool("0000000000000002", "check_coverage", "h", 600).failed("TimeoutException", "timed out"), root());
        assertThat(runs.readValue().revision()).isZero();
        assertThat(findings.readValuesToList()).extracting(Finding::detector).containsExactly("swallowed_error");
        samples.readValuesToList();

        send(llm("0000000000000003", 1000).finish("length"));

        Run revised = runs.readValue();
        assertThat(revised.revision()).isEqualTo(1);
        assertThat(revised.lateSteps()).isEqualTo(1);
        assertThat(revised.steps()).isEqualTo(3);
        assertThat(findings.readValuesToList()).extracting(Finding::detector).containsExactly("truncated_output");
        assertThat(samples.readValuesToList()).hasSize(1);
        assertThat(metrics.count(DetectorMetrics.STEPS_LATE, "after_close")).isEqualTo(1);
    }

    @Test
    void aRootArrivingAfterTheRunClosedAsUnfinishedResolvesTheUnfinishedFinding() {
        send(llm("0000000000000001", 0), llm("0000000000000002", 1000));
        send(llm("0000000000000009", 302_000).run("acme", "ffffffffffffffffffffffffffffffff"));
        assertThat(runs.readValue().status()).isEqualTo(RunStatus.UNFINISHED);
        Finding unfinished = findings.readValue();
        assertThat(unfinished.detector()).isEqualTo("unfinished_run");
        assertThat(unfinished.agentName()).as("no step named the agent yet").isEmpty();

        // A late step moves the run's end (the finding's event time), then the root arrives and
        // names the agent: the resolution must still land on the row the finding was stored in.
        send(llm("0000000000000003", 303_000).run("acme", TestRuns.RUN));
        assertThat(runs.readValue().status()).isEqualTo(RunStatus.UNFINISHED);
        assertThat(findings.isEmpty()).as("still unfinished: nothing new, nothing resolved").isTrue();
        send(root().at(0, 304_000));

        Run revised = runs.readValue();
        assertThat(revised.status()).isEqualTo(RunStatus.OK);
        assertThat(revised.revision()).isEqualTo(2);
        Finding resolution = findings.readValue();
        assertThat(findings.isEmpty()).isTrue();
        assertThat(resolution.announcesResolution()).isTrue();
        assertThat(resolution.fingerprint()).isEqualTo(unfinished.fingerprint());
        assertThat(resolution.agentName()).isEqualTo(unfinished.agentName());
        assertThat(resolution.eventEpochNanos()).isEqualTo(unfinished.eventEpochNanos());
        assertThat(resolution.detectedEpochMillis()).as("the later version wins under FINAL, even on the same clock")
                .isGreaterThan(unfinished.detectedEpochMillis());
        assertThat(resolution.evidence()).containsEntry(RunAssembler.RESOLVED_BY_STEP, "00000000000000aa");
        assertThat(metrics.count(DetectorMetrics.FINDINGS_RESOLVED, "unfinished_run")).isEqualTo(1);
    }

    @Test
    void aToolSpanArrivingLateResolvesTheMissingToolStepFindingOnce() {
        send(llm("0000000000000001", 0).requests("c1", "check_coverage", "h"), root());
        runs.readValue();
        Finding missing = findings.readValue();
        assertThat(missing.detector()).isEqualTo("missing_tool_step");

        send(tool("0000000000000002", "check_coverage", "h", 600).callId("c1"));

        assertThat(runs.readValue().revision()).isEqualTo(1);
        Finding resolution = findings.readValue();
        assertThat(resolution.fingerprint()).isEqualTo(missing.fingerprint());
        assertThat(resolution.announcesResolution()).isTrue();
        assertThat(resolution.detectedEpochMillis()).isGreaterThan(missing.detectedEpochMillis());
        assertThat(findings.isEmpty()).isTrue();

        // A new condition on the run is emitted as usual; the resolved one is not resolved again.
        send(llm("0000000000000003", 1000).finish("length"));
        assertThat(findings.readValuesToList()).extracting(Finding::detector, Finding::announcesResolution)
                .containsExactly(tuple("truncated_output", false));
        assertThat(metrics.count(DetectorMetrics.FINDINGS_RESOLVED, "missing_tool_step")).isEqualTo(1);
    }

    /**
     * A successful retry arriving late resolves the swallowed errors it recovers, as far as the
     * run's state kept them: 32 of 33 here, the 33rd counted as not kept and left as it is.
     */
    @Test
    void aLateSuccessfulRetryResolvesTheSwallowedErrorsItRecoversUpToTheKeptOnes() {
        TestRuns.StepBuilder[] failures = new TestRuns.StepBuilder[33];
        for (int i = 0; i < failures.length; i++) {
            failures[i] = tool(String.format("%016x", i + 1), "check_coverage", "h" + i, i * 10).failed("Timeout", "timed out");
        }
        send(failures);
        send(root());
        assertThat(findings.readValuesToList()).filteredOn(f -> f.detector().equals("swallowed_error")).hasSize(33);
        assertThat(metrics.count(DetectorMetrics.FINDINGS_NOT_KEPT, "max_findings")).isEqualTo(1);

        send(tool("0000000000000100", "check_coverage", "h", 1000));

        List<Finding> resolutions = findings.readValuesToList();
        assertThat(resolutions).hasSize(RunState.MAX_FINDINGS_AS_EMITTED).allMatch(Finding::announcesResolution)
                .extracting(Finding::detector).containsOnly("swallowed_error");
        assertThat(resolutions).extracting(Finding::evidence).allSatisfy(evidence ->
                assertThat(evidence).containsEntry(RunAssembler.RESOLVED_BY_STEP, "0000000000000100"));
        assertThat(metrics.count(DetectorMetrics.FINDINGS_RESOLVED, "swallowed_error")).isEqualTo(32);
    }

    /** A detector that throws on one revision can neither resolve nor re-emit; the next revision resolves. */
    @Test
    void aDetectorFailingOnARevisionResolvesNothingThen() {
        RunDetector failsOnRevisionOne = detector("fails_on_revision_one", trace -> {
            if (trace.run().revision() == 1) {
                throw new IllegalStateException("broken on purpose");
            }
            return List.of();
        });
        recreateDriverWithDetectors(List.of(new UnfinishedRunDetector(), failsOnRevisionOne));
        send(llm("0000000000000001", 0));
        send(llm("0000000000000009", 302_000).run("acme", "ffffffffffffffffffffffffffffffff"));
        assertThat(runs.readValue().status()).isEqualTo(RunStatus.UNFINISHED);
        assertThat(findings.readValue().detector()).isEqualTo("unfinished_run");

        send(root().at(0, 303_000));
        assertThat(runs.readValue().revision()).isEqualTo(1);
        assertThat(findings.isEmpty()).as("one detector failed: what vanished is not trusted").isTrue();
        assertThat(metrics.count(DetectorMetrics.DETECTOR_FAILED, "fails_on_revision_one")).isEqualTo(1);

        send(llm("0000000000000002", 1000));
        assertThat(runs.readValue().revision()).isEqualTo(2);
        assertThat(findings.readValue().announcesResolution()).isTrue();
    }

    /** A condition that more steps only confirm (a budget, a loop) is never resolved, even if it stops firing. */
    @Test
    void aFindingOfADetectorThatLateStepsCannotDisproveIsNotResolved() {
        RunDetector firesOnTheFirstCloseOnly = detector("first_close_only", trace -> trace.run().revision() > 0
                ? List.of() : List.of(new Finding("fp-first", "first_close_only", Severity.WARNING, trace.run().tenant(), "", "",
                        trace.run().runId(), "", "", "first close", trace.run().endEpochNanos(), 0, Map.of(), Map.of())));
        recreateDriverWithDetectors(List.of(firesOnTheFirstCloseOnly));
        send(llm("0000000000000001", 0), root());
        assertThat(findings.readValue().detector()).isEqualTo("first_close_only");

        send(llm("0000000000000002", 1000));

        assertThat(runs.readValuesToList()).extracting(Run::revision).containsExactly(0, 1);
        assertThat(findings.isEmpty()).isTrue();
        assertThat(metrics.total(DetectorMetrics.FINDINGS_RESOLVED)).isZero();
    }

    /** A hundred findings of one kind say what is wrong with a run; more would only swell its state. */
    @Test
    void aDetectorRaisingMoreThanItsPerRunCapEmitsTheFirstOnesAndCountsTheRest() {
        RunDetector raisesTooMany = detector("too_many", trace -> IntStream.range(0, 150)
                .mapToObj(i -> new Finding(String.format("fp-%03d", i), "too_many", Severity.WARNING, trace.run().tenant(), "",
                        "", trace.run().runId(), "", "", "finding " + i, trace.run().endEpochNanos(), 0, Map.of(), Map.of()))
                .toList());
        recreateDriverWithDetectors(List.of(raisesTooMany));
        send(llm("0000000000000001", 0), root());

        List<Finding> emitted = findings.readValuesToList();
        assertThat(emitted).hasSize(RunDetector.MAX_FINDINGS_PER_RUN);
        assertThat(emitted.getFirst().fingerprint()).isEqualTo("fp-000");
        assertThat(emitted.getLast().fingerprint()).isEqualTo("fp-099");
        assertThat(metrics.count(DetectorMetrics.FINDINGS_PAST_RUN_CAP, "too_many")).isEqualTo(50);

        send(llm("0000000000000002", 1000));

        assertThat(runs.readValuesToList()).extracting(Run::revision).containsExactly(0, 1);
        assertThat(findings.isEmpty()).as("the same first hundred, emitted already").isTrue();
        assertThat(metrics.count(DetectorMetrics.FINDINGS_PAST_RUN_CAP, "too_many")).as("counted at each inspection")
                .isEqualTo(100);
    }

    /**
     * A finding pushed past its detector's cap by findings of late steps is still found: not
     * emitted again, and not resolved as if it had stopped holding.
     */
    @Test
    void aKeptFindingPushedPastTheCapByLateStepsIsNotResolved() {
        RunDetector latestStepFirst = detector("per_step", trace -> trace.steps().stream()
                .filter(step -> step.kind() == StepKind.LLM)
                .sorted(java.util.Comparator.comparingLong(Step::startEpochNanos).reversed())
                .map(step -> new Finding("fp-" + step.stepId(), "per_step", Severity.WARNING, trace.run().tenant(), "", "",
                        trace.run().runId(), step.stepId(), "", "step " + step.stepId(), step.endEpochNanos(), 0, Map.of(),
                        Map.of()))
                .toList(), true);
        recreateDriverWithDetectors(List.of(latestStepFirst));
        for (int i = 1; i <= RunDetector.MAX_FINDINGS_PER_RUN; i++) {
            send(llm(String.format("%016x", i), i));
        }
        send(root());
        assertThat(findings.readValuesToList()).hasSize(RunDetector.MAX_FINDINGS_PER_RUN)
                .first().extracting(Finding::fingerprint).isEqualTo(String.format("fp-%016x", RunDetector.MAX_FINDINGS_PER_RUN));

        for (int i = 1; i <= RunDetector.MAX_FINDINGS_PER_RUN; i++) {
            send(llm(String.format("%016x", 0x1000 + i), 1_000 + i));
        }

        List<Finding> afterLateSteps = findings.readValuesToList();
        assertThat(afterLateSteps).as("one new finding per late step, the first of each revision")
                .hasSize(RunDetector.MAX_FINDINGS_PER_RUN).noneMatch(Finding::announcesResolution);
        assertThat(metrics.total(DetectorMetrics.FINDINGS_RESOLVED)).isZero();
    }

    /** Each revision may bring new findings; a run's state remembers 1,000 fingerprints at most. */
    @Test
    void aRunEmitsAtMostItsCapOfFindingsOverAllRevisions() {
        RunDetector newOnEveryRevision = detector("every_revision", trace -> IntStream.range(0, RunDetector.MAX_FINDINGS_PER_RUN)
                .mapToObj(i -> new Finding("fp-" + trace.run().revision() + "-" + i, "every_revision", Severity.WARNING,
                        trace.run().tenant(), "", "", trace.run().runId(), "", "", "finding " + i, trace.run().endEpochNanos(),
                        0, Map.of(), Map.of()))
                .toList());
        recreateDriverWithDetectors(List.of(newOnEveryRevision));
        send(llm("0000000000000001", 0), root());
        int revisions = RunState.MAX_FINDINGS_EMITTED / RunDetector.MAX_FINDINGS_PER_RUN;
        for (int i = 1; i <= revisions; i++) {
            send(llm(String.format("%016x", 0x100 + i), 1_000 + i));
        }

        assertThat(findings.readValuesToList()).hasSize(RunState.MAX_FINDINGS_EMITTED);
        assertThat(metrics.count(DetectorMetrics.FINDINGS_PAST_RUN_CAP, "every_revision"))
                .isEqualTo(RunDetector.MAX_FINDINGS_PER_RUN);
    }

    @Test
    void aRedeliveredSpanIsCountedOnce() {
        send(llm("0000000000000001", 0), llm("0000000000000001", 0), root());

        assertThat(runs.readValue().steps()).isEqualTo(2);
        assertThat(metrics.count(DetectorMetrics.STEPS_DUPLICATE, "same_step_id")).isEqualTo(1);
    }

    @Test
    void stepsPastTheStepCapAreSampledAsTheyArriveSoStepMetricsCountThemAll() {
        recreateDriverWithStepCap(3);
        send(tool("0000000000000001", "lookup_policy", "h", 0).agent("claims-agent", "1.0.0"));
        for (int retry = 2; retry <= 6; retry++) {
            send(tool("000000000000000" + retry, "lookup_policy", "h", retry * 100L));
        }
        List<StepSample> beforeClose = readSamples();
        assertThat(beforeClose).as("the 3 steps past the cap, each as it arrived").hasSize(3)
                .extracting(StepSample::stepId).containsExactly("0000000000000004", "0000000000000005", "0000000000000006");
        assertThat(beforeClose).as("with the agent its first step named").allSatisfy(sample ->
                assertThat(sample.agentName()).isEqualTo("claims-agent"));
        assertThat(metrics.count(DetectorMetrics.STEPS_NOT_KEPT, "max_steps")).isEqualTo(3);

        send(root());

        assertThat(runs.readValue().steps()).isEqualTo(7);
        assertThat(readSamples()).as("the kept steps and the root, at the close")
                .extracting(StepSample::stepId)
                .containsExactlyInAnyOrder("0000000000000001", "0000000000000002", "0000000000000003", "00000000000000aa");
    }

    @Test
    void aReDeliveredStepPastTheCapIsCountedAndSampledOnce() {
        recreateDriverWithStepCap(1);
        send(tool("0000000000000001", "lookup_policy", "h", 0), tool("0000000000000002", "lookup_policy", "h", 100));
        // An exporter retrying a batch the collector had stored: the same span again.
        send(tool("0000000000000002", "lookup_policy", "h", 100), root());

        assertThat(runs.readValue().steps()).isEqualTo(3);
        assertThat(readSamples()).extracting(StepSample::stepId)
                .containsExactlyInAnyOrder("0000000000000002", "0000000000000001", "00000000000000aa");
        assertThat(metrics.count(DetectorMetrics.STEPS_DUPLICATE, "same_step_id")).isEqualTo(1);
        assertThat(metrics.count(DetectorMetrics.STEPS_NOT_KEPT, "max_steps")).isEqualTo(1);
    }

    @Test
    void aStepPastTheCapThatNamesTheAgentIsSampledWithIt() {
        recreateDriverWithStepCap(1);
        send(tool("0000000000000001", "lookup_policy", "h", 0),
                tool("0000000000000002", "lookup_policy", "h", 100).agent("claims-agent", "1.0.0"));

        assertThat(samples.readValue().samples()).singleElement()
                .satisfies(sample -> assertThat(sample.agentName()).isEqualTo("claims-agent"));
    }

    @Test
    void runsOfTwoTenantsWithTheSameTraceIdStayApart() {
        send(llm("0000000000000001", 0).run("globex", TestRuns.RUN), root().run("globex", TestRuns.RUN), root());

        assertThat(runs.readValuesToList()).extracting(Run::tenant, Run::steps)
                .containsExactly(tuple("globex", 2), tuple("acme", 1));
    }

    @Test
    void sendsUndecodableStepsToTheDeadLetterTopicAndKeepsGoing() {
        rawSteps.pipeInput(TestRuns.RUN, "{not json".getBytes(StandardCharsets.UTF_8));
        send(root());

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.reason()).isEqualTo("undecodable_step");
        assertThat(letter.stage()).isEqualTo("run_assembly");
        assertThat(runs.readValuesToList()).hasSize(1);
        assertThat(metrics.count(DetectorMetrics.RECORDS_DEAD_LETTERED, "undecodable_step")).isEqualTo(1);
    }

    @Test
    void forgetsAClosedRunAfterTheRetention() {
        send(root());
        send(llm("0000000000000009", 3_700_000).run("acme", "ffffffffffffffffffffffffffffffff"));

        assertThat(metrics.count(DetectorMetrics.RUNS_PURGED, "retention")).isEqualTo(1);
        KeyValueStoreProbe.assertAbsent(driver, RunAssembler.stateKey("acme", TestRuns.RUN));
    }

    @Test
    void keepsARunClosedByItsRootUntilItsRetentionEndsOnASingleDeadline() {
        send(root());
        assertThat(deadlinesOf(TestRuns.RUN)).as("the first look, which reschedules the closed run").hasSize(1);

        send(llm("0000000000000009", 3_500_000).run("acme", "ffffffffffffffffffffffffffffffff"));
        assertThat(metrics.count(DetectorMetrics.RUNS_PURGED, "retention")).isZero();
        assertThat(driver.<String, RunState>getKeyValueStore(RunTopology.RUNS_STORE)
                .get(RunAssembler.stateKey("acme", TestRuns.RUN))).isNotNull();
        assertThat(deadlinesOf(TestRuns.RUN)).as("now its retention").hasSize(1);

        send(llm("000000000000000a", 3_700_000).run("acme", "ffffffffffffffffffffffffffffffff"));
        assertThat(metrics.count(DetectorMetrics.RUNS_PURGED, "retention")).isEqualTo(1);
        KeyValueStoreProbe.assertAbsent(driver, RunAssembler.stateKey("acme", TestRuns.RUN));
        assertThat(deadlinesOf(TestRuns.RUN)).isEmpty();
    }

    @Test
    void aRetentionShorterThanTheInactivityGapForgetsARunBeforeItsFirstLook() {
        driver.close();
        createDriver(DetectionConfig.defaults().withRuns(new RunAssemblyConfig(Duration.ofMinutes(5), Duration.ofMinutes(2),
                Duration.ofSeconds(30), 1000, Duration.ofSeconds(1))));
        send(root());

        // Closed at T0 + 60 s: forgotten from T0 + 180 s, before its first look at T0 + 360 s.
        send(llm("0000000000000009", 200_000).run("acme", "ffffffffffffffffffffffffffffffff"));

        assertThat(metrics.count(DetectorMetrics.RUNS_PURGED, "retention")).isEqualTo(1);
        KeyValueStoreProbe.assertAbsent(driver, RunAssembler.stateKey("acme", TestRuns.RUN));
    }

    /** The deadline index's entries for run {@code runId} of tenant acme. */
    private List<Long> deadlinesOf(String runId) {
        List<Long> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> entries = driver.<Bytes, byte[]>getKeyValueStore(RunTopology.DEADLINES_STORE).all()) {
            entries.forEachRemaining(entry -> {
                if (RunAssembler.runKeyOf(entry.key).equals(RunAssembler.stateKey("acme", runId))) {
                    due.add(RunAssembler.deadlineOf(entry.key));
                }
            });
        }
        return due;
    }

    /**
     * A root stamped a century ahead: its record time is capped (a minute past its arrival, as
     * the normalizer stamps it), and the run is forgotten on the retention counted from there,
     * not kept in the state until the root's own end.
     */
    @Test
    void aRootStampedFarAheadIsForgottenOnTheRetentionFromItsRecordTime() {
        Step ahead = root().at(0, 100L * 365 * 24 * 3_600_000).build();
        long arrival = TestRuns.T0_NANOS / 1_000_000;
        steps.pipeInput(ahead.runId(), StepBatch.of(ahead), arrival + 60_000);
        assertThat(runs.readValue().closedAtEpochMillis()).isEqualTo(arrival + 60_000);

        send(llm("0000000000000009", 3_700_000).run("acme", "ffffffffffffffffffffffffffffffff"));

        assertThat(metrics.count(DetectorMetrics.RUNS_PURGED, "retention")).isEqualTo(1);
        KeyValueStoreProbe.assertAbsent(driver, RunAssembler.stateKey("acme", TestRuns.RUN));
    }

    /** Reads the run state store of the driver. */
    static final class KeyValueStoreProbe {
        static void assertAbsent(TopologyTestDriver driver, String key) {
            assertThat(driver.<String, RunState>getKeyValueStore(RunTopology.RUNS_STORE).get(key)).isNull();
        }
    }
}
