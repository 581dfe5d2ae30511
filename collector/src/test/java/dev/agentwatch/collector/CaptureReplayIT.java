package dev.agentwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.collector.Ingest.Tenant;
import dev.agentwatch.model.PriceTable;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepStatus;
import dev.agentwatch.model.ToolCallRequest;
import dev.agentwatch.model.otlp.OtlpSpanMapper;
import dev.agentwatch.model.otlp.SpanContentFilter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every real capture in shared/reference goes through the running collector's OTLP/HTTP endpoint
 * (chunked, like the JavaScript exporter that produced it) into the real broker; what comes out of
 * Kafka maps to the same steps as the capture itself, without its prompt and completion text.
 */
@Timeout(180)
class CaptureReplayIT {
    private static final OtlpSpanMapper MAPPER = new OtlpSpanMapper(PriceTable.defaults());

    @ParameterizedTest
    @ValueSource(strings = {"ok", "tool_error", "llm_error", "loop"})
    void captureLandsInKafkaAndNormalizesToTheSameStepsWithoutContent(String scenario) throws Exception {
        Tenant tenant = Tenant.unique("capture-" + scenario);
        List<Step> expected = new ArrayList<>();
        int spans = 0;
        try (Collector collector = Collector.start(Ingest.config(tenant))) {
            for (byte[] body : SharedReference.capture(scenario)) {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
                expected.addAll(MAPPER.map(tenant.name(), request));
                spans += Ingest.spanCount(request);

                HttpResponse<byte[]> response = postChunked(collector, body, tenant.key());

                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(ExportTraceServiceResponse.parseFrom(response.body()).hasPartialSuccess()).isFalse();
            }
        }

        List<ConsumerRecord<String, byte[]>> records = Ingest.spanRecords(tenant.name(), spans);
        List<Step> steps = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            ExportTraceServiceRequest stored = Ingest.parse(record.value());
            assertThat(stored.toString()).doesNotContain("What is the weather in Paris?");
            assertThat(stored.getResourceSpansList()).flatExtracting(rs -> rs.getScopeSpansList())
                    .flatExtracting(ss -> ss.getSpansList())
                    .allSatisfy(span -> assertThat(span.getAttributesList()).noneMatch(kv -> SpanContentFilter.isContentKey(kv.getKey())));
            List<Step> mapped = MAPPER.map(tenant.name(), stored);
            assertThat(mapped).extracting(Step::runId).containsOnly(record.key());
            steps.addAll(mapped);
        }
        steps.sort(Comparator.comparingLong(Step::startEpochNanos));
        expected.sort(Comparator.comparingLong(Step::startEpochNanos));
        assertThat(steps).isEqualTo(expected);
        checkScenario(scenario, steps);
    }

    private static void checkScenario(String scenario, List<Step> steps) {
        Step root = steps.stream().filter(Step::isRoot).findFirst().orElseThrow();
        assertThat(root.kind()).isEqualTo(StepKind.AGENT);
        assertThat(root.name()).isEqualTo("weather_agent");
        assertThat(steps).filteredOn(s -> !s.isRoot()).allSatisfy(s -> {
            assertThat(s.parentStepId()).isEqualTo(root.stepId());
            assertThat(s.runId()).isEqualTo(root.runId());
        });
        List<Step> llms = steps.stream().filter(s -> s.kind() == StepKind.LLM).toList();
        List<Step> tools = steps.stream().filter(s -> s.kind() == StepKind.TOOL).toList();
        assertThat(llms).allSatisfy(llm -> {
            assertThat(llm.model()).isEqualTo("gpt-4o-mini");
            assertThat(llm.name()).isEqualTo("chat gpt-4o-mini");
        });
        assertThat(tools).allSatisfy(tool -> assertThat(tool.toolName()).isEqualTo("get_weather"));
        switch (scenario) {
            case "ok" -> {
                assertThat(steps).hasSize(4);
                assertThat(root.status()).isEqualTo(StepStatus.OK);
                assertThat(llms).hasSize(2);
                assertThat(llms.getFirst().tokens().inputTokens()).isEqualTo(50);
                assertThat(llms.getFirst().tokens().outputTokens()).isEqualTo(12);
                assertThat(llms.getFirst().requestedToolCalls()).extracting(ToolCallRequest::toolName)
                        .containsExactly("get_weather");
                assertThat(llms.get(1).outputChars())
                        .isEqualTo("Done. Tool said: {\"city\":\"Paris\",\"tempC\":21,\"sky\":\"clear\"}".length());
                assertThat(tools).singleElement().extracting(Step::status).isEqualTo(StepStatus.OK);
            }
            case "tool_error" -> {
                assertThat(root.status()).isEqualTo(StepStatus.OK);
                assertThat(tools).singleElement().satisfies(tool -> {
                    assertThat(tool.status()).isEqualTo(StepStatus.ERROR);
                    assertThat(tool.errorMessage()).isEqualTo("WeatherService 503: city not found");
                });
            }
            case "llm_error" -> {
                assertThat(steps).hasSize(2);
                assertThat(root.status()).isEqualTo(StepStatus.ERROR);
                assertThat(llms).singleElement().extracting(Step::status).isEqualTo(StepStatus.ERROR);
            }
            case "loop" -> {
                assertThat(tools).hasSize(4);
                assertThat(llms).hasSize(4);
                assertThat(tools).extracting(Step::toolArgumentsHash).containsOnly(tools.getFirst().toolArgumentsHash());
            }
            default -> throw new AssertionError("unknown scenario " + scenario);
        }
    }

    @Test
    void theOfficialOtlpJsonExampleLandsThroughTheJsonEndpoint() {
        Tenant tenant = Tenant.unique("capture-json");
        try (Collector collector = Collector.start(Ingest.config(tenant))) {
            HttpResponse<byte[]> response = Ingest.post(collector, "/v1/traces", SharedReference.read("captures/trace.json"),
                    "application/json", tenant.key(), null);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Ingest.text(response)).isEqualTo("{}");
        }
        ConsumerRecord<String, byte[]> record = Ingest.spanRecords(tenant.name(), 1).getFirst();
        assertThat(record.key()).isEqualTo("5b8efff798038103d269b633813fc60c");
        Step step = MAPPER.map(tenant.name(), Ingest.parse(record.value())).getFirst();
        assertThat(step.service()).isEqualTo("my.service");
        assertThat(step.stepId()).isEqualTo("eee19b7ec3c1b174");
        assertThat(step.parentStepId()).isEqualTo("eee19b7ec3c1b173");
        assertThat(step.spanName()).isEqualTo("I'm a server span");
    }

    @Test
    void withContentCaptureTheContentIsKeptButPersonalDataIsRedacted() throws Exception {
        Tenant tenant = Tenant.unique("capture-redacted");
        byte[] body = SharedReference.capture("ok").getFirst();
        ExportTraceServiceRequest original = ExportTraceServiceRequest.parseFrom(body);
        ExportTraceServiceRequest changed = withText(original, "What is the weather in Paris?", "Weather? mail: ann@example.org");
        assertThat(changed.toString()).contains("ann@example.org");
        try (Collector collector = Collector.start(Ingest.config(tenant).withContentCapture(true))) {
            HttpResponse<byte[]> response = Ingest.post(collector, "/v1/traces", changed.toByteArray(),
                    "application/x-protobuf", tenant.key(), null);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Ingest.get(collector, "/health").body()).contains("\"content\":\"captured_redacted\"");
        }
        List<ConsumerRecord<String, byte[]>> records = Ingest.spanRecords(tenant.name(), Ingest.spanCount(original));
        String stored = records.stream().map(r -> Ingest.parse(r.value()).toString()).reduce("", String::concat);
        assertThat(stored).contains("Weather? mail: [REDACTED_EMAIL]").doesNotContain("ann@example.org");
        List<Step> steps = new ArrayList<>();
        records.forEach(r -> steps.addAll(MAPPER.map(tenant.name(), Ingest.parse(r.value()))));
        assertThat(steps).containsExactlyInAnyOrderElementsOf(MAPPER.map(tenant.name(), changed));
    }

    /** The request with {@code from} replaced by {@code to} in every span attribute string. */
    private static ExportTraceServiceRequest withText(ExportTraceServiceRequest request, String from, String to) {
        ExportTraceServiceRequest.Builder out = request.toBuilder();
        for (var resourceSpans : out.getResourceSpansBuilderList()) {
            for (var scopeSpans : resourceSpans.getScopeSpansBuilderList()) {
                for (var span : scopeSpans.getSpansBuilderList()) {
                    for (var kv : span.getAttributesBuilderList()) {
                        if (kv.getValue().hasStringValue()) {
                            kv.getValueBuilder().setStringValue(kv.getValue().getStringValue().replace(from, to));
                        }
                    }
                }
            }
        }
        return out.build();
    }

    /** POSTs with an unknown length, so the client sends {@code Transfer-Encoding: chunked}. */
    private static HttpResponse<byte[]> postChunked(Collector collector, byte[] body, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        return Ingest.HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
