package dev.agentwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import dev.agentwatch.collector.Ingest.Tenant;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The collector's OTLP/HTTP receiver against the real broker: status codes, messages, limits. */
@Timeout(180)
class CollectorIT {
    private static final Tenant TENANT = Tenant.unique("collector-it");
    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";
    private static Collector collector;

    @BeforeAll
    static void start() {
        collector = Collector.start(Ingest.config(TENANT).withSizeLimits(64 * 1024, 1024 * 1024));
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    private static byte[] validRequest(int trace) {
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(TraceSplitterTest.resourceSpans("svc-bad-input", TraceSplitterTest.span(trace, 7)))
                .build().toByteArray();
    }

    private static HttpResponse<byte[]> post(byte[] body, String contentType, String key, String encoding) {
        return Ingest.post(collector, "/v1/traces", body, contentType, key, encoding);
    }

    @Test
    void badInputGetsTheRightStatusAndMessageAndTheServerKeepsServing() throws Exception {
        byte[] valid = validRequest(7);

        HttpResponse<byte[]> noKey = post(valid, PROTOBUF, null, null);
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(Status.parseFrom(noKey.body()).getMessage()).contains("missing API key");
        assertThat(Status.parseFrom(post(valid, PROTOBUF, "wrong-key", null).body()).getMessage())
                .isEqualTo("unknown API key");

        HttpResponse<byte[]> truncated = post(Arrays.copyOf(valid, valid.length - 5), PROTOBUF, TENANT.key(), null);
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(Status.parseFrom(truncated.body()).getMessage()).contains("not an OTLP ExportTraceServiceRequest");

        HttpResponse<byte[]> malformedJson = post("{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8), JSON,
                TENANT.key(), null);
        assertThat(malformedJson.statusCode()).isEqualTo(400);
        assertThat(malformedJson.headers().firstValue("Content-Type")).hasValue(JSON);
        assertThat(Ingest.text(malformedJson)).contains("\"code\":3").contains("malformed JSON");

        HttpResponse<byte[]> wrongShape = post("{\"resourceSpans\": 5}".getBytes(StandardCharsets.UTF_8), JSON,
                TENANT.key(), null);
        assertThat(wrongShape.statusCode()).isEqualTo(400);
        assertThat(Ingest.text(wrongShape)).contains("not an OTLP/JSON ExportTraceServiceRequest");

        HttpResponse<byte[]> wrongType = post(valid, "text/plain", TENANT.key(), null);
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(Status.parseFrom(wrongType.body()).getMessage()).contains("text/plain").contains(PROTOBUF).contains(JSON);

        HttpResponse<byte[]> oversized = post(new byte[128 * 1024], PROTOBUF, TENANT.key(), null);
        assertThat(oversized.statusCode()).isEqualTo(413);
        assertThat(Status.parseFrom(oversized.body()).getMessage()).contains("larger than the limit of 65536 bytes");

        HttpResponse<byte[]> bomb = post(Ingest.gzip(new byte[8 * 1024 * 1024]), PROTOBUF, TENANT.key(), "gzip");
        assertThat(bomb.statusCode()).isEqualTo(413);
        assertThat(Status.parseFrom(bomb.body()).getMessage()).contains("decompressed body");

        HttpResponse<byte[]> notGzip = post(valid, PROTOBUF, TENANT.key(), "gzip");
        assertThat(notGzip.statusCode()).isEqualTo(400);
        assertThat(Status.parseFrom(notGzip.body()).getMessage()).contains("not valid gzip");
        assertThat(post(valid, PROTOBUF, TENANT.key(), "br").statusCode()).isEqualTo(415);
        assertThat(Ingest.get(collector, "/v1/traces").statusCode()).isEqualTo(405);

        HttpResponse<byte[]> ok = post(Ingest.gzip(valid), PROTOBUF, TENANT.key(), "gzip");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ExportTraceServiceResponse.parseFrom(ok.body()).hasPartialSuccess()).isFalse();
        assertThat(collector.metrics().requestsRejected("undecodable_protobuf")).isGreaterThanOrEqualTo(1);
        assertThat(collector.metrics().requestsRejected("undecodable_json")).isGreaterThanOrEqualTo(2);
        assertThat(collector.metrics().requestsRejected("decompressed_too_large")).isGreaterThanOrEqualTo(1);
        assertThat(collector.metrics().requestsRejected("unknown_api_key")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void invalidIdsArePartiallyRejectedWithAReasonInProtobufAndJson() throws Exception {
        var badSpan = TraceSplitterTest.span(8, 1).toBuilder().setTraceId(ByteString.copyFrom(new byte[16])).build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(TraceSplitterTest.resourceSpans("svc-ids", badSpan, TraceSplitterTest.span(8, 2)))
                .build();

        HttpResponse<byte[]> response = post(request.toByteArray(), PROTOBUF, TENANT.key(), null);

        assertThat(response.statusCode()).isEqualTo(200);
        ExportTraceServiceResponse parsed = ExportTraceServiceResponse.parseFrom(response.body());
        assertThat(parsed.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
        assertThat(parsed.getPartialSuccess().getErrorMessage()).contains("invalid trace id");

        String json = OtlpJson.printRequest(request).replace("\"spanId\":\"0000000000000002\"", "\"spanId\":\"not-hex!\"");
        HttpResponse<byte[]> jsonResponse = post(json.getBytes(StandardCharsets.UTF_8), JSON, TENANT.key(), null);

        assertThat(jsonResponse.statusCode()).isEqualTo(200);
        assertThat(jsonResponse.headers().firstValue("Content-Type")).hasValue(JSON);
        assertThat(Ingest.text(jsonResponse)).contains("\"rejectedSpans\":\"2\"").contains("invalid span id");
        assertThat(collector.metrics().spansRejected("invalid_id")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void jsonRequestsGetJsonAnswersAndLandAsProtobuf() {
        Tenant tenant = Tenant.unique("collector-json");
        try (Collector own = Collector.start(Ingest.config(tenant))) {
            ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                    .addResourceSpans(TraceSplitterTest.resourceSpans("svc-json", TraceSplitterTest.span(31, 1),
                            TraceSplitterTest.span(31, 2), TraceSplitterTest.span(32, 3)))
                    .build();

            HttpResponse<byte[]> response = Ingest.post(own, "/v1/traces",
                    OtlpJson.printRequest(request).getBytes(StandardCharsets.UTF_8), JSON + "; charset=utf-8",
                    tenant.key(), null);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Ingest.text(response)).isEqualTo("{}");
            var records = Ingest.spanRecords(tenant.name(), 3);
            assertThat(records).extracting(r -> r.key())
                    .containsExactlyInAnyOrder(TraceSplitterTest.traceHex(31), TraceSplitterTest.traceHex(32));
            assertThat(records).flatExtracting(r -> Ingest.parse(r.value()).getResourceSpans(0).getScopeSpans(0).getSpansList())
                    .extracting(s -> s.getName()).containsExactlyInAnyOrder("span-1", "span-2", "span-3");
        }
    }

    @Test
    void answers429WithRetryAfterWhenTooManyRequestsAreInFlightAndChunkedBodiesWork() throws Exception {
        Tenant tenant = Tenant.unique("collector-busy");
        try (Collector busy = Collector.start(Ingest.config(tenant).withInFlightLimits(1, 64L << 20))) {
            byte[] body = validRequest(41);
            try (Socket slow = new Socket("127.0.0.1", busy.httpPort())) {
                OutputStream out = slow.getOutputStream();
                out.write(("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + PROTOBUF
                        + "\r\nAuthorization: Bearer " + tenant.key() + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                int half = body.length / 2;
                writeChunk(out, Arrays.copyOfRange(body, 0, half));
                awaitInFlight(busy, 1);

                HttpResponse<byte[]> refused = Ingest.post(busy, "/v1/traces", body, PROTOBUF, tenant.key(), null);

                assertThat(refused.statusCode()).isEqualTo(429);
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
                Status status = Status.parseFrom(refused.body());
                assertThat(status.getMessage()).contains("requests are in flight");
                assertThat(status.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(1);

                writeChunk(out, Arrays.copyOfRange(body, half, body.length));
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(slow.getInputStream(), StandardCharsets.US_ASCII));
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            }
            assertThat(Ingest.post(busy, "/v1/traces", body, PROTOBUF, tenant.key(), null).statusCode()).isEqualTo(200);
            assertThat(busy.metrics().requestsRejected("too_many_in_flight")).isEqualTo(1);
            Ingest.spanRecords(tenant.name(), 2);
        }
    }

    /** Bytes are held as they arrive: a client that declares a large body and sends nothing holds none. */
    @Test
    void aClientThatDeclaresABodyAndSendsNothingLocksNoOneOut() throws Exception {
        Tenant tenant = Tenant.unique("collector-idle");
        try (Collector collector = Collector.start(Ingest.config(tenant).withSizeLimits(1 << 20, 1 << 20)
                .withInFlightLimits(16, 1L << 20))) {
            try (Socket idle = new Socket("127.0.0.1", collector.httpPort())) {
                idle.getOutputStream().write(("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + PROTOBUF
                        + "\r\nAuthorization: Bearer " + tenant.key() + "\r\nContent-Length: " + (1 << 20) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                idle.getOutputStream().flush();
                awaitInFlight(collector, 1);

                assertThat(Ingest.post(collector, "/v1/traces", validRequest(42), PROTOBUF, tenant.key(), null).statusCode())
                        .as("the whole in-flight byte budget was declared, none of it sent").isEqualTo(200);
            }
        }
    }

    @Test
    void metricsAndHealthDescribeTheCollector() {
        HttpResponse<String> health = Ingest.get(collector, "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"").contains("\"otlp_grpc_port\":" + collector.grpcPort())
                .contains("\"content\":\"removed\"").contains("\"requests_in_flight\"").contains("\"kafka_errors\":0");
        HttpResponse<String> metrics = Ingest.get(collector, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE agentwatch_collector_spans_accepted_total counter")
                .contains("agentwatch_collector_outcomes_accepted_total")
                .contains("agentwatch_collector_kafka_errors_total")
                .contains("# TYPE agentwatch_collector_requests_in_flight gauge");
    }

    private static void writeChunk(OutputStream out, byte[] chunk) throws Exception {
        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(chunk);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void awaitInFlight(Collector collector, int requests) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (collector.metrics().requestsInFlight() < requests && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(collector.metrics().requestsInFlight()).isEqualTo(requests);
    }
}
