package dev.agentwatch.detectors.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.query.GenericRecord;
import dev.agentwatch.clickhouse.ClickHouseConfig;
import dev.agentwatch.clickhouse.SchemaMigrator;
import dev.agentwatch.detectors.DetectionConfig;
import dev.agentwatch.detectors.DetectorMetrics;
import dev.agentwatch.detectors.Detectors;
import dev.agentwatch.detectors.DetectorsConfig;
import dev.agentwatch.detectors.SharedCaptures;
import dev.agentwatch.detectors.detect.OutlierDetector;
import dev.agentwatch.detectors.health.HealthServer;
import dev.agentwatch.detectors.detect.ToolPolicyDetector;
import dev.agentwatch.detectors.runs.RunAssemblyConfig;
import dev.agentwatch.model.PriceTable;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.otlp.OtlpSpanMapper;
import dev.agentwatch.testkit.TestServices;
import dev.agentwatch.topics.TopicCreator;
import dev.agentwatch.topics.Topics;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole detectors runtime on the real broker and ClickHouse: spans go into {@code otlp_spans}
 * as the collector writes them (the shared captures' bodies, and runs emitted by the real OTel
 * Java SDK), and the right runs and findings, and only those, appear in ClickHouse.
 */
@Timeout(300)
class DetectorsPipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** Deleted by JUnit after the class's last test, with everything the services wrote. */
    @TempDir
    static Path tempDir;
    private static Detectors detectors;
    private static ClickHouseProbe clickHouse;
    private static KafkaProducer<String, byte[]> producer;
    private static String instance;

    @BeforeAll
    static void start() throws Exception {
        ClickHouseConfig ch = new ClickHouseConfig(TestServices.clickHouseUrl(), TestServices.uniqueDatabase("detectors_it"),
                "default", "", 10_000, Duration.ofMillis(200));
        SchemaMigrator.of(ch).migrate();
        TopicCreator.of(3, (short) 1).ensure(TestServices.kafkaBootstrap(), Topics.ALL);
        DetectionConfig detection = DetectionConfig.defaults()
                .withRuns(new RunAssemblyConfig(Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofSeconds(2), 1000,
                        Duration.ofMillis(500)))
                .withPolicy(new ToolPolicyDetector.Config(Map.of("policy-agent", Set.of("check_coverage")), Set.of(),
                        Set.of()))
                .withOutliers(new OutlierDetector.Config(5, 6.0, 3.0, 0.05, 0.1));
        instance = TestServices.uniqueName("it");
        DetectorsConfig config = new DetectorsConfig(TestServices.kafkaBootstrap(), TestServices.uniqueName("pipeline-it"),
                Files.createTempDirectory(tempDir, "detectors-it"), "exactly_once_v2", 1, ch, instance, detection);
        detectors = Detectors.start(config);
        clickHouse = new ClickHouseProbe(ch);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (detectors != null) {
            detectors.close();
        }
        if (clickHouse != null) {
            clickHouse.close();
        }
    }

    private static String traceIdOf(byte[] body) throws Exception {
        return new OtlpSpanMapper(PriceTable.empty()).map("x", ExportTraceServiceRequest.parseFrom(body)).getFirst().runId();
    }

    private static List<String> detectorsOf(String tenant, String runId) {
        return clickHouse.rows("SELECT detector FROM findings FINAL WHERE tenant = '" + tenant + "' AND run_id = '" + runId
                + "' ORDER BY detector").stream().map(r -> r.getString("detector")).toList();
    }

    @Test
    void sharedCapturesYieldASwallowedErrorForToolErrorALoopForLoopAndNothingForOk() throws Exception {
        String tenant = TestServices.uniqueName("captures");
        Map<String, String> runIds = new java.util.LinkedHashMap<>();
        for (String scenario : List.of("ok", "tool_error", "loop")) {
            for (byte[] body : SharedCaptures.requestBodies(scenario)) {
                String traceId = traceIdOf(body);
                runIds.put(scenario, traceId);
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.OTLP_SPANS.name(), traceId, body);
                record.headers().add(Topics.TENANT_HEADER, tenant.getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
        }
        producer.flush();

        clickHouse.awaitCount("SELECT count() FROM runs FINAL WHERE tenant = '" + tenant + "'", 3, WAIT);
        clickHouse.awaitCount("SELECT count() FROM findings FINAL WHERE tenant = '" + tenant + "'", 2, WAIT);
        clickHouse.awaitCount("SELECT count() FROM steps FINAL WHERE tenant = '" + tenant + "'", 17, WAIT);

        assertThat(detectorsOf(tenant, runIds.get("tool_error"))).containsExactly("swallowed_error");
        assertThat(detectorsOf(tenant, runIds.get("loop"))).containsExactly("loop");
        assertThat(detectorsOf(tenant, runIds.get("ok"))).isEmpty();
        GenericRecord loopRun = clickHouse.rows("SELECT steps, llm_calls, tool_calls, status, agent_name FROM runs FINAL "
                + "WHERE tenant = '" + tenant + "' AND run_id = '" + runIds.get("loop") + "'").getFirst();
        assertThat(loopRun.getLong("steps")).isEqualTo(9);
        assertThat(loopRun.getLong("llm_calls")).isEqualTo(4);
        assertThat(loopRun.getString("status")).isEqualTo("ok");
        assertThat(loopRun.getString("agent_name")).isEqualTo("weather_agent");
        GenericRecord evidence = clickHouse.rows("SELECT evidence['tool'] AS tool, evidence['identical_calls'] AS calls, "
                + "toUnixTimestamp64Milli(detected_at) >= toUnixTimestamp64Milli(event_time) AS after FROM findings FINAL "
                + "WHERE tenant = '" + tenant + "' AND detector = 'loop'").getFirst();
        assertThat(evidence.getString("tool")).isEqualTo("get_weather");
        assertThat(evidence.getString("calls")).isEqualTo("4");
    }

    @Test
    void runsFromTheOtelSdkRaiseOneFindingPerFailureKindAndANormalRunNone() throws Exception {
        String tenant = TestServices.uniqueName("sdk");
        // Event time near now: the metrics windows judge lateness against the partitions' stream time.
        Instant t = Instant.now().minusSeconds(300);
        Map<String, String> runs = new java.util.LinkedHashMap<>();
        try (SdkAgentRuns sdk = new SdkAgentRuns(producer, tenant)) {
            runs.put("normal", sdk.run("claims-agent", t).chat(800, "tool_calls", "check_coverage", "call_1")
                    .tool("check_coverage", 50, "{\"claim\":\"C-1\"}", false).chat(700, "stop", "", "").end());
            runs.put("swallowed", sdk.run("claims-agent", t.plusSeconds(10)).chat(800, "tool_calls", "check_coverage", "c1")
                    .tool("check_coverage", 50, "{\"claim\":\"C-2\"}", true).chat(700, "stop", "", "").end());
            var loop = sdk.run("claims-agent", t.plusSeconds(20));
            for (int i = 0; i < 3; i++) {
                loop.chat(300, "tool_calls", "lookup", "l" + i).tool("lookup", 20, "{\"id\":7}", false);
            }
            runs.put("loop", loop.chat(300, "stop", "", "").end());
            runs.put("missing", sdk.run("claims-agent", t.plusSeconds(30)).chat(800, "tool_calls", "issue_refund", "r1")
                    .chat(500, "stop", "", "").end());
            runs.put("truncated", sdk.run("claims-agent", t.plusSeconds(40)).chat(900, "length", "", "").end());
            var budget = sdk.run("claims-agent", t.plusSeconds(50));
            for (int i = 0; i < 6; i++) {
                budget.chat(100, "tool_calls", "search", "s" + i).tool("search", 10, "{\"q\":" + i + "}", false);
            }
            runs.put("budget", budget.end());
            runs.put("policy", sdk.run("policy-agent", t.plusSeconds(60)).chat(500, "tool_calls", "wire_money", "w1")
                    .tool("wire_money", 30, "{\"amount\":5}", false).chat(300, "stop", "", "").end());
            var unfinished = sdk.run("claims-agent", t.plusSeconds(70)).chat(500, "stop", "", "");
            runs.put("unfinished", unfinished.traceId());
        }

        clickHouse.awaitCount("SELECT count() FROM runs FINAL WHERE tenant = '" + tenant + "'", runs.size(), WAIT);
        clickHouse.awaitCount("SELECT count() FROM findings FINAL WHERE tenant = '" + tenant + "'", 7, WAIT);

        assertThat(detectorsOf(tenant, runs.get("normal"))).isEmpty();
        assertThat(detectorsOf(tenant, runs.get("swallowed"))).containsExactly("swallowed_error");
        assertThat(detectorsOf(tenant, runs.get("loop"))).containsExactly("loop");
        assertThat(detectorsOf(tenant, runs.get("missing"))).containsExactly("missing_tool_step");
        assertThat(detectorsOf(tenant, runs.get("truncated"))).containsExactly("truncated_output");
        assertThat(detectorsOf(tenant, runs.get("budget"))).containsExactly("step_budget");
        assertThat(detectorsOf(tenant, runs.get("policy"))).containsExactly("tool_policy");
        assertThat(detectorsOf(tenant, runs.get("unfinished"))).containsExactly("unfinished_run");
        assertThat(clickHouse.count("SELECT count() FROM findings FINAL WHERE tenant = '" + tenant + "'")).isEqualTo(7);
        assertThat(clickHouse.rows("SELECT status FROM runs FINAL WHERE run_id = '" + runs.get("unfinished") + "'")
                .getFirst().getString("status")).isEqualTo("unfinished");
        clickHouse.awaitCount("SELECT count() FROM agent_metrics_1m FINAL WHERE tenant = '" + tenant + "'", 1, WAIT);
        clickHouse.awaitCount("SELECT sum(samples) FROM step_metrics_1m FINAL WHERE tenant = '" + tenant + "'",
                clickHouse.count("SELECT count() FROM steps FINAL WHERE tenant = '" + tenant + "'"), WAIT);
    }

    /**
     * A run flagged unfinished (no root within the gap) whose root then arrives: the finding is
     * resolved in ClickHouse, so current findings leave it out, and the run reads as ok.
     */
    @Test
    void aRootArrivingAfterItsRunWasFlaggedUnfinishedResolvesTheFinding() throws Exception {
        String tenant = TestServices.uniqueName("late-root");
        Instant t = Instant.now().minusSeconds(300);
        try (SdkAgentRuns sdk = new SdkAgentRuns(producer, tenant)) {
            var run = sdk.run("claims-agent", t).chat(500, "stop", "", "");
            String where = " FROM findings FINAL WHERE tenant = '" + tenant + "' AND run_id = '" + run.traceId()
                    + "' AND detector = 'unfinished_run'";
            clickHouse.awaitCount("SELECT count()" + where + " AND NOT resolved", 1, WAIT);

            run.end();

            clickHouse.awaitCount("SELECT count()" + where + " AND resolved", 1, WAIT);
            assertThat(clickHouse.count("SELECT count()" + where + " AND NOT resolved")).isZero();
            assertThat(clickHouse.rows("SELECT evidence['resolved_by_step'] AS step" + where).getFirst().getString("step"))
                    .isNotEmpty();
            clickHouse.awaitCount("SELECT count() FROM runs FINAL WHERE tenant = '" + tenant + "' AND run_id = '"
                    + run.traceId() + "' AND status = 'ok' AND revision = 1", 1, WAIT);
        }
        assertThat(detectors.detectorMetrics().count(DetectorMetrics.FINDINGS_RESOLVED, "unfinished_run")).isPositive();
    }

    /**
     * An agent whose clock runs three hours ahead: brokers refuse records stamped more than an
     * hour ahead of their own clock ({@code log.message.timestamp.after.max.ms}), so the steps,
     * run and finding must not carry that time as their Kafka timestamp. The run is stored with
     * the times its spans claim, and the pipeline goes on with the next run.
     */
    @Test
    void aRunStampedHoursAheadBySkewedClockIsStoredAndStopsNothing() throws Exception {
        String tenant = TestServices.uniqueName("skew");
        long seed = System.nanoTime();
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        long aheadNanos = nowNanos + Duration.ofHours(3).toNanos();
        send(tenant, OtlpRuns.traceId(seed, 0), OtlpRuns.swallowedToolError(seed, 0, aheadNanos));
        send(tenant, OtlpRuns.traceId(seed, 1), OtlpRuns.swallowedToolError(seed, 1, nowNanos - 30_000_000_000L));
        producer.flush();

        String where = " FINAL WHERE tenant = '" + tenant + "'";
        clickHouse.awaitCount("SELECT count() FROM runs" + where, 2, WAIT);
        clickHouse.awaitCount("SELECT count() FROM steps" + where, 2L * OtlpRuns.STEPS_PER_RUN, WAIT);
        clickHouse.awaitCount("SELECT count() FROM findings" + where, 2, WAIT);
        assertThat(clickHouse.count("SELECT count() FROM steps" + where + " AND run_id = '" + OtlpRuns.traceId(seed, 0)
                + "' AND toUnixTimestamp64Nano(start_time) >= " + aheadNanos)).as("as the spans say").isEqualTo(4);
    }

    /**
     * A tool span whose name and tool name are 700 KB each (a buggy agent, sent by a producer
     * that allows large records): as they are, its step would be larger than Kafka takes, and a
     * refused record stops an exactly-once pipeline. The names are cut; the run and the next one
     * go on as usual.
     */
    @Test
    void aSpanWithHugeNamesIsStoredWithTheNamesCutAndStopsNothing() throws Exception {
        String tenant = TestServices.uniqueName("huge");
        long seed = System.nanoTime();
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        ExportTraceServiceRequest huge = OtlpRuns.swallowedToolError(seed, 0, nowNanos - 60_000_000_000L);
        java.util.Random random = new java.util.Random(seed);
        StringBuilder name = new StringBuilder("execute_tool ");
        while (name.length() < 700_000) {
            name.append((char) ('a' + random.nextInt(26)));
        }
        ExportTraceServiceRequest.Builder builder = huge.toBuilder();
        var tool = builder.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(1).setName(name.toString());
        for (int i = 0; i < tool.getAttributesCount(); i++) {
            if (tool.getAttributes(i).getKey().equals("gen_ai.tool.name")) {
                tool.getAttributesBuilder(i).getValueBuilder().setStringValue(name.toString());
            }
        }
        try (KafkaProducer<String, byte[]> large = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrap(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd"),
                new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.OTLP_SPANS.name(), OtlpRuns.traceId(seed, 0),
                    builder.build().toByteArray());
            record.headers().add(Topics.TENANT_HEADER, tenant.getBytes(StandardCharsets.UTF_8));
            large.send(record).get();
        }
        send(tenant, OtlpRuns.traceId(seed, 1), OtlpRuns.swallowedToolError(seed, 1, nowNanos - 30_000_000_000L));
        producer.flush();

        String where = " FINAL WHERE tenant = '" + tenant + "'";
        clickHouse.awaitCount("SELECT count() FROM runs" + where + " AND run_id = '" + OtlpRuns.traceId(seed, 1) + "'", 1,
                WAIT);
        clickHouse.awaitCount("SELECT count() FROM findings" + where + " AND run_id = '" + OtlpRuns.traceId(seed, 1) + "'",
                1, WAIT);
        clickHouse.awaitCount("SELECT count() FROM runs" + where + " AND run_id = '" + OtlpRuns.traceId(seed, 0) + "'", 1,
                WAIT);
        assertThat(clickHouse.count("SELECT count() FROM steps" + where + " AND run_id = '" + OtlpRuns.traceId(seed, 0)
                + "'")).isEqualTo(OtlpRuns.STEPS_PER_RUN);
        assertThat(clickHouse.count("SELECT max(length(span_name)) + max(length(tool_name)) FROM steps" + where
                + " AND run_id = '" + OtlpRuns.traceId(seed, 0) + "'")).as("cut").isEqualTo(2L * Step.MAX_TEXT_CHARS);
    }

    /**
     * An agent stuck retrying a failing tool 1,200 times, every name and error message at the
     * 256-character cut: kept whole, its steps alone would make the run's state larger than Kafka
     * takes (1 MiB), and a state the changelog refuses stops an exactly-once pipeline for good.
     * The run keeps what fits, counts the rest, is flagged, and the next run goes on as usual.
     */
    @Test
    void aLongLoopingRunLargerThanKafkaTakesIsStoredAndStopsNothing() throws Exception {
        String tenant = TestServices.uniqueName("long");
        long seed = System.nanoTime();
        long start = System.currentTimeMillis() * 1_000_000L - 120_000_000_000L;
        int retries = 1_200;
        String trace = OtlpRuns.traceId(seed, 0);
        String tool = "lookup_policy_" + "x".repeat(Step.MAX_TEXT_CHARS);
        String error = "PolicyServiceUnavailable: " + "the policy service did not answer in time; ".repeat(8);
        var spans = io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder();
        for (int i = 0; i < retries; i++) {
            long at = start + i * 1_000_000L;
            spans.addSpans(OtlpRuns.span(trace, String.format("%016x", i + 2L), String.format("%016x", 1L),
                            "execute_tool " + tool, at, at + 500_000L)
                    .addAttributes(OtlpRuns.attr("gen_ai.operation.name", "execute_tool"))
                    .addAttributes(OtlpRuns.attr("gen_ai.tool.name", tool))
                    .addAttributes(OtlpRuns.attr("error.type", error))
                    .setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder()
                            .setCode(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR)
                            .setMessage(error)));
        }
        spans.addSpans(OtlpRuns.span(trace, String.format("%016x", 1L), "", "invoke_agent " + tool, start,
                        start + retries * 1_000_000L + 1_000_000L)
                .addAttributes(OtlpRuns.attr("gen_ai.operation.name", "invoke_agent"))
                .addAttributes(OtlpRuns.attr("gen_ai.agent.name", "agent-" + tool)));
        // In batches of 100 spans, as a batch exporter sends them.
        List<io.opentelemetry.proto.trace.v1.Span> all = spans.getSpansList();
        for (int i = 0; i < all.size(); i += 100) {
            send(tenant, trace, ExportTraceServiceRequest.newBuilder().addResourceSpans(
                    io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder().addScopeSpans(
                            io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                                    .addAllSpans(all.subList(i, Math.min(all.size(), i + 100))))).build());
        }
        producer.flush();
        send(tenant, OtlpRuns.traceId(seed, 1), OtlpRuns.swallowedToolError(seed, 1, start + 2_000_000_000L));
        producer.flush();

        String where = " FINAL WHERE tenant = '" + tenant + "'";
        clickHouse.awaitCount("SELECT count() FROM runs" + where + " AND run_id = '" + OtlpRuns.traceId(seed, 1) + "'", 1,
                WAIT);
        clickHouse.awaitCount("SELECT count() FROM runs" + where + " AND run_id = '" + trace + "'", 1, WAIT);
        GenericRecord run = clickHouse.rows("SELECT steps, tool_calls, errors FROM runs" + where + " AND run_id = '"
                + trace + "'").getFirst();
        assertThat(run.getLong("steps")).as("every step counted").isEqualTo(retries + 1);
        assertThat(run.getLong("tool_calls")).isEqualTo(retries);
        assertThat(run.getLong("errors")).isEqualTo(retries);
        assertThat(clickHouse.count("SELECT count() FROM steps" + where + " AND run_id = '" + trace + "'"))
                .isEqualTo(retries + 1);
        clickHouse.awaitCount("SELECT count() FROM findings" + where + " AND run_id = '" + trace + "'", 1, WAIT);
        assertThat(detectorsOf(tenant, trace)).contains("step_budget");
        clickHouse.awaitCount("SELECT count() FROM findings" + where + " AND run_id = '" + OtlpRuns.traceId(seed, 1) + "'",
                1, WAIT);
        String loopingTool = where + " AND startsWith(name, 'lookup_policy_')";
        clickHouse.awaitCount("SELECT sum(samples) FROM step_metrics_1m" + loopingTool, retries, WAIT);
        assertThat(clickHouse.count("SELECT sum(errors) FROM step_metrics_1m" + loopingTool))
                .as("every retry in the step metrics, past the caps too").isEqualTo(retries);
        // The steps set aside are counted where operators look: the detectors' readings in pipeline_metrics.
        long notKept = clickHouse.awaitCount("SELECT toInt64(max(value)) FROM pipeline_metrics WHERE component = 'detectors' "
                + "AND instance = '" + instance + "' AND metric = 'steps_not_kept' AND reason = 'max_step_bytes'", retries / 2, WAIT);
        assertThat(notKept).as("the 512 KiB cap, long before the 1,000 steps one").isBetween(retries / 2L, retries - 1L);
    }

    private static void send(String tenant, String traceId, ExportTraceServiceRequest request) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.OTLP_SPANS.name(), traceId, request.toByteArray());
        record.headers().add(Topics.TENANT_HEADER, tenant.getBytes(StandardCharsets.UTF_8));
        producer.send(record);
    }

    @Test
    void servesItsHealthOkWhileEveryPipelineRunsAndItsCountersForPrometheus() throws Exception {
        try (HealthServer server = HealthServer.start("127.0.0.1", 0, detectors::health, detectors::readings);
             java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + server.port();
            java.net.http.HttpResponse<String> health = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/health")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            java.net.http.HttpResponse<String> metrics = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            java.net.http.HttpResponse<String> other = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base + "/other")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(health.body());
            assertThat(json.get("status").asText()).isEqualTo("ok");
            assertThat(json.get("problems")).isEmpty();
            assertThat(json.get("pipelines").get("runs").asText()).isIn("RUNNING", "REBALANCING");
            assertThat(json.get("pipelines").size()).isEqualTo(3);
            assertThat(json.get("sink_failing_seconds")).isEmpty();
            assertThat(other.statusCode()).isEqualTo(404);
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("text/plain; version=0.0.4"));
            assertThat(metrics.body()).contains("# TYPE agentwatch_detectors_steps_normalized_total counter\n")
                    .contains("agentwatch_detectors_detector_failed_total{reason=\"swallowed_error\"} 0\n");
        }
    }

    @Test
    void aLatencyOutlierIsFlaggedOnceItsBaselineIsWarm() throws Exception {
        String tenant = TestServices.uniqueName("outlier");
        Instant t = Instant.now().minusSeconds(200);
        String slow;
        try (SdkAgentRuns sdk = new SdkAgentRuns(producer, tenant)) {
            for (int i = 0; i < 8; i++) {
                sdk.run("outlier-agent", t.plusSeconds(10L * i)).chat(800 + 20L * (i % 3), "stop", "", "").end();
            }
            slow = sdk.run("outlier-agent", t.plusSeconds(100)).chat(20_000, "stop", "", "").end();
        }

        clickHouse.awaitCount("SELECT count() FROM findings FINAL WHERE tenant = '" + tenant + "'", 1, WAIT);

        assertThat(detectorsOf(tenant, slow)).containsExactly("latency_outlier");
        assertThat(clickHouse.count("SELECT count() FROM findings FINAL WHERE tenant = '" + tenant + "'")).isEqualTo(1);
    }
}
