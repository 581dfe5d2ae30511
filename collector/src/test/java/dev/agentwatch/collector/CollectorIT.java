package dev.agentwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.testkit.TestServices;
import dev.agentwatch.topics.TopicCreator;
import dev.agentwatch.topics.Topics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The collector against the real broker: what it writes to Kafka, and how it refuses bad input. */
@Timeout(180)
class CollectorIT {
    private static final String KEY = "aw_collector_it_key";
    private static Collector collector;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        String bootstrap = TestServices.kafkaBootstrap();
        TopicCreator.of(3, (short) 1).ensure(bootstrap, Topics.ALL);
        CollectorConfig config = new CollectorConfig("127.0.0.1", 0, 64 * 1024, 1024 * 1024, true,
                Map.of(ApiKeys.hash(KEY), "acme"), "default", bootstrap, 10_000);
        collector = Collector.start(config);
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void otelSdkSpansLandInKafkaOneRecordPerTraceWithTheTenantHeader() {
        String service = "svc-" + UUID.randomUUID();
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(io.opentelemetry.sdk.resources.Resource.builder().put("service.name", service).build())
                .addSpanProcessor(SimpleSpanProcessor.create(OtlpHttpSpanExporter.builder()
                        .setEndpoint(url("/v1/traces")).addHeader("Authorization", "Bearer " + KEY).build()))
                .build();
        Tracer tracer = provider.get("collector-it");
        Span root = tracer.spanBuilder("invoke_agent").startSpan();
        tracer.spanBuilder("chat").setParent(Context.current().with(root)).startSpan().end();
        root.end();
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        provider.shutdown().join(10, TimeUnit.SECONDS);
        String traceId = root.getSpanContext().getTraceId();

        List<ConsumerRecord<String, byte[]>> records = recordsOfService(service, 2);
        assertThat(records).allSatisfy(record -> {
            assertThat(record.key()).isEqualTo(traceId);
            assertThat(new String(record.headers().lastHeader(Topics.TENANT_HEADER).value(), StandardCharsets.UTF_8))
                    .isEqualTo("acme");
        });
        long spans = records.stream().mapToLong(r -> parse(r.value()).getResourceSpans(0).getScopeSpans(0).getSpansCount()).sum();
        assertThat(spans).isEqualTo(2);
        assertThat(collector.metrics().spansAccepted()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void badInputGetsTheRightStatusAndTheServerKeepsServing() throws Exception {
        byte[] valid = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(TraceSplitterTest.resourceSpans("svc-bad-input", TraceSplitterTest.span(7, 7)))
                .build().toByteArray();

        assertThat(post(valid, "application/x-protobuf", null, null).statusCode()).isEqualTo(401);
        assertThat(post(valid, "application/x-protobuf", "wrong-key", null).statusCode()).isEqualTo(401);

        HttpResponse<byte[]> truncated = post(java.util.Arrays.copyOf(valid, valid.length - 5), "application/x-protobuf", KEY, null);
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(new String(truncated.body(), StandardCharsets.UTF_8)).contains("not an OTLP ExportTraceServiceRequest");

        assertThat(post(valid, "text/plain", KEY, null).statusCode()).isEqualTo(415);
        assertThat(post(new byte[128 * 1024], "application/x-protobuf", KEY, null).statusCode()).isEqualTo(413);
        HttpResponse<byte[]> bomb = post(gzip(new byte[8 * 1024 * 1024]), "application/x-protobuf", KEY, "gzip");
        assertThat(bomb.statusCode()).isEqualTo(413);
        assertThat(new String(bomb.body(), StandardCharsets.UTF_8)).contains("decompressed body");
        assertThat(post(valid, "application/x-protobuf", KEY, "br").statusCode()).isEqualTo(415);

        HttpResponse<byte[]> ok = post(gzip(valid), "application/x-protobuf", KEY, "gzip");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ExportTraceServiceResponse.parseFrom(ok.body()).hasPartialSuccess()).isFalse();
        assertThat(collector.metrics().requestsRejected("undecodable_protobuf")).isGreaterThanOrEqualTo(1);
        assertThat(collector.metrics().requestsRejected("decompressed_too_large")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void invalidIdsArePartiallyRejectedWithAReason() throws Exception {
        var badSpan = TraceSplitterTest.span(8, 1).toBuilder()
                .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16])).build();
        byte[] body = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(TraceSplitterTest.resourceSpans("svc-ids", badSpan, TraceSplitterTest.span(8, 2)))
                .build().toByteArray();

        HttpResponse<byte[]> response = post(body, "application/x-protobuf", KEY, null);

        assertThat(response.statusCode()).isEqualTo(200);
        ExportTraceServiceResponse parsed = ExportTraceServiceResponse.parseFrom(response.body());
        assertThat(parsed.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
        assertThat(parsed.getPartialSuccess().getErrorMessage()).contains("invalid trace id");
        assertThat(collector.metrics().spansRejected("invalid_id")).isGreaterThanOrEqualTo(1);
    }

    private static HttpResponse<byte[]> post(byte[] body, String contentType, String key, String encoding) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url("/v1/traces")))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (encoding != null) {
            request.header("Content-Encoding", encoding);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + collector.httpPort() + path;
    }

    private static ExportTraceServiceRequest parse(byte[] bytes) {
        try {
            return ExportTraceServiceRequest.parseFrom(bytes);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Reads otlp_spans from the start until {@code spans} spans of {@code service} were seen. */
    private static List<ConsumerRecord<String, byte[]>> recordsOfService(String service, int spans) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, TestServices.uniqueName("collector-it"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.OTLP_SPANS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int seen = 0;
            while (seen < spans && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    ExportTraceServiceRequest request = parse(record.value());
                    if (request.getResourceSpans(0).getResource().getAttributesList().stream()
                            .anyMatch(kv -> kv.getValue().getStringValue().equals(service))) {
                        found.add(record);
                        seen += request.getResourceSpansList().stream()
                                .mapToInt(rs -> rs.getScopeSpansList().stream().mapToInt(s -> s.getSpansCount()).sum()).sum();
                    }
                }
            }
            assertThat(seen).as("spans of %s in otlp_spans", service).isEqualTo(spans);
        }
        return found;
    }
}
