package dev.agentwatch.detectors.runs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.agentwatch.detectors.DetectionConfig;
import dev.agentwatch.detectors.DetectorMetrics;
import dev.agentwatch.detectors.normalize.NormalizeMetrics;
import dev.agentwatch.detectors.normalize.SpanNormalizer;
import dev.agentwatch.model.PriceTable;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepBatch;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.otlp.OtlpSpanMapper;
import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.Topics;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Normalization inside the runs pipeline: spans in, steps and dead letters out. */
class SpanNormalizationTest {
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> spans;
    private TestOutputTopic<String, StepBatch> steps;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private final NormalizeMetrics metrics = new NormalizeMetrics();

    @BeforeEach
    void createDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "span-normalization-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(RunTopology.buildFromSpans(DetectionConfig.defaults(),
                new OtlpSpanMapper(PriceTable.defaults()), metrics, new DetectorMetrics()), props);
        spans = driver.createInputTopic(Topics.OTLP_SPANS.name(), Topics.OTLP_SPANS.keySerde().serializer(),
                Topics.OTLP_SPANS.valueSerde().serializer());
        steps = driver.createOutputTopic(Topics.STEPS.name(), Topics.STEPS.keySerde().deserializer(),
                Topics.STEPS.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), Topics.DEAD_LETTERS.keySerde().deserializer(),
                Topics.DEAD_LETTERS.valueSerde().deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void turnsARecordsSpansIntoOneBatchOfStepsKeyedByRunWithTheTenantFromTheHeader() {
        spans.pipeInput(new TestRecord<>(TRACE, request(span("00f067aa0ba902b7", "", "invoke_agent"),
                span("00f067aa0ba902b8", "00f067aa0ba902b7", "chat")).toByteArray(), tenantHeader("acme"), 0L));

        TestRecord<String, StepBatch> out = steps.readRecord();

        assertThat(out.key()).isEqualTo(TRACE);
        assertThat(out.timestamp()).as("its latest step's end").isEqualTo(1_795_923_246_500L);
        assertThat(out.value().steps()).extracting(Step::kind).containsExactly(StepKind.AGENT, StepKind.LLM);
        assertThat(out.value().steps()).allSatisfy(step -> {
            assertThat(step.tenant()).isEqualTo("acme");
            assertThat(step.runId()).isEqualTo(TRACE);
        });
        assertThat(steps.isEmpty()).isTrue();
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(metrics.steps()).isEqualTo(2);
    }

    @Test
    void aRecordWithSpansOfTwoTracesGivesABatchPerRun() {
        String other = "5bf92f3577b34da6a3ce929d0e0e4737";
        Span elsewhere = span("00f067aa0ba902b9", "", "invoke_agent").toBuilder()
                .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(other))).build();
        spans.pipeInput(TRACE, request(span("00f067aa0ba902b7", "", "invoke_agent"), elsewhere,
                span("00f067aa0ba902b8", "00f067aa0ba902b7", "chat")).toByteArray());

        List<TestRecord<String, StepBatch>> out = steps.readRecordsToList();

        assertThat(out).extracting(TestRecord::key).containsExactly(TRACE, other);
        assertThat(out.getFirst().value().steps()).extracting(Step::stepId)
                .containsExactly("00f067aa0ba902b7", "00f067aa0ba902b8");
        assertThat(out.get(1).value().steps()).extracting(Step::stepId).containsExactly("00f067aa0ba902b9");
        assertThat(metrics.steps()).isEqualTo(3);
    }

    /**
     * A record the collector kept under 1 MB whose steps encode to more than a Kafka record takes:
     * a step can be larger than its span, so the run's steps go on in batches of a bounded size.
     */
    @Test
    void splitsARunsStepsIntoBatchesKafkaTakes() {
        int spanCount = 1_500;
        String longText = "x".repeat(Step.MAX_TEXT_CHARS);
        Span[] many = new Span[spanCount];
        for (int i = 0; i < spanCount; i++) {
            many[i] = span(String.format("%016x", i + 2), "00f067aa0ba902b7", "execute_tool").toBuilder()
                    .setName("execute_tool " + longText)
                    .setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder()
                            .setCode(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR)
                            .setMessage(longText))
                    .build();
        }
        byte[] body = request(many).toByteArray();
        assertThat(body.length).as("a record the collector would write").isLessThan(1_000_000);
        TestOutputTopic<String, byte[]> raw = driver.createOutputTopic(Topics.STEPS.name(),
                Topics.STEPS.keySerde().deserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer());

        spans.pipeInput(TRACE, body);

        List<byte[]> records = raw.readValuesToList();
        assertThat(records.stream().mapToLong(r -> r.length).sum()).as("more than one record could take")
                .isGreaterThan(1_048_576L);
        assertThat(records).allSatisfy(r -> assertThat(r.length).isLessThanOrEqualTo(SpanNormalizer.MAX_BATCH_BYTES + 64));
        List<Step> all = records.stream()
                .flatMap(r -> Topics.STEPS.valueSerde().deserializer().deserialize(Topics.STEPS.name(), r).steps().stream())
                .toList();
        assertThat(all).extracting(Step::stepId).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, spanCount).mapToObj(i -> String.format("%016x", i + 2)).toList());
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void recordsWithoutATenantHeaderBelongToTheDefaultTenant() {
        spans.pipeInput(TRACE, request(span("00f067aa0ba902b7", "", "invoke_agent")).toByteArray());

        assertThat(steps.readValue().steps()).singleElement()
                .satisfies(step -> assertThat(step.tenant()).isEqualTo(Topics.DEFAULT_TENANT));
    }

    @Test
    void sendsUndecodableRecordsToTheDeadLetterTopicAndKeepsGoing() {
        spans.pipeInput(new TestRecord<>(TRACE, new byte[] {0x0A, 0x7F, 0x01}, tenantHeader("acme"), 0L));
        spans.pipeInput(TRACE, request(span("00f067aa0ba902b7", "", "invoke_agent")).toByteArray());

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.reason()).isEqualTo("undecodable_protobuf");
        assertThat(letter.stage()).isEqualTo("normalize");
        assertThat(letter.tenant()).isEqualTo("acme");
        assertThat(letter.sourceTopic()).isEqualTo(Topics.OTLP_SPANS.name());
        assertThat(letter.value()).containsExactly(0x0A, 0x7F, 0x01);
        assertThat(steps.readValuesToList()).hasSize(1);
        assertThat(metrics.deadLettered("undecodable_protobuf")).isEqualTo(1);
    }

    private static RecordHeaders tenantHeader(String tenant) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.TENANT_HEADER, tenant.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static ExportTraceServiceRequest request(Span... spans) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue("claims-service"))))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans)))).build();
    }

    private static Span span(String spanId, String parentId, String operation) {
        HexFormat hex = HexFormat.of();
        Span.Builder span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(hex.parseHex(TRACE)))
                .setSpanId(ByteString.copyFrom(hex.parseHex(spanId)))
                .setName(operation)
                .setStartTimeUnixNano(1_795_923_246_000_000_000L)
                .setEndTimeUnixNano(1_795_923_246_500_000_000L)
                .addAttributes(KeyValue.newBuilder().setKey("gen_ai.operation.name")
                        .setValue(AnyValue.newBuilder().setStringValue(operation)));
        if (!parentId.isEmpty()) {
            span.setParentSpanId(ByteString.copyFrom(hex.parseHex(parentId)));
        }
        return span.build();
    }
}
