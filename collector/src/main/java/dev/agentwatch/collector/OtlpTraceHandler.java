package dev.agentwatch.collector;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.agentwatch.collector.TraceSplitter.Split;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP {@code POST /v1/traces}: authenticate, read within limits, decode, split by trace,
 * publish, and answer only after Kafka acknowledged. Every refusal is counted with its reason
 * and answered with a message that says what was wrong.
 */
final class OtlpTraceHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(OtlpTraceHandler.class);
    static final String PROTOBUF = "application/x-protobuf";

    private final CollectorConfig config;
    private final ApiKeys apiKeys;
    private final TraceSplitter splitter = new TraceSplitter();
    private final SpanPublisher publisher;
    private final CollectorMetrics metrics;

    OtlpTraceHandler(CollectorConfig config, ApiKeys apiKeys, SpanPublisher publisher, CollectorMetrics metrics) {
        this.config = config;
        this.apiKeys = apiKeys;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                byte[] response = export(exchange);
                exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
                exchange.sendResponseHeaders(200, response.length);
                exchange.getResponseBody().write(response);
            } catch (HttpRejection rejection) {
                metrics.requestRejected(rejection.reason());
                reject(exchange, rejection);
            }
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.getMessage());
        }
    }

    private byte[] export(HttpExchange exchange) throws IOException, HttpRejection {
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            throw new HttpRejection(405, "method_not_allowed", "use POST for /v1/traces");
        }
        String tenant = authenticate(exchange);
        String contentType = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (!PROTOBUF.equals(contentType)) {
            throw new HttpRejection(415, "unsupported_content_type",
                    "Content-Type '" + contentType + "' is not supported; send " + PROTOBUF);
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = RequestBodies.readLimited(in, config.maxRequestBytes(), "request body");
        }
        body = RequestBodies.decode(body, exchange.getRequestHeaders().getFirst("Content-Encoding"),
                config.maxDecodedBytes());
        ExportTraceServiceRequest request;
        try {
            request = ExportTraceServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new HttpRejection(400, "undecodable_protobuf",
                    "body is not an OTLP ExportTraceServiceRequest protobuf: " + e.getMessage());
        }
        Split split = splitter.split(request);
        if (split.rejectedSpans() > 0) {
            metrics.spansRejected("invalid_id", split.rejectedSpans());
        }
        if (!split.traces().isEmpty()) {
            awaitPublished(tenant, split);
        }
        metrics.accepted(split.acceptedSpans(), split.traces().size());
        ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
        if (split.rejectedSpans() > 0) {
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(split.rejectedSpans())
                    .setErrorMessage(split.rejectionReason()));
        }
        return response.build().toByteArray();
    }

    private void awaitPublished(String tenant, Split split) throws HttpRejection {
        try {
            publisher.publish(tenant, split.traces()).get(config.sendTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted");
        } catch (TimeoutException e) {
            throw unavailable("Kafka did not acknowledge within " + config.sendTimeoutMillis() + " ms");
        } catch (ExecutionException e) {
            LOG.warn("publish failed tenant={} traces={} error={}", tenant, split.traces().size(), e.getCause().toString());
            throw unavailable("Kafka refused the records: " + e.getCause().getClass().getSimpleName());
        }
    }

    private static HttpRejection unavailable(String why) {
        return new HttpRejection(503, "kafka_unavailable", "spans not stored, retry later: " + why, 5);
    }

    private String authenticate(HttpExchange exchange) throws HttpRejection {
        if (!config.authEnabled()) {
            return config.anonymousTenant();
        }
        String key = apiKey(exchange);
        if (key == null) {
            throw new HttpRejection(401, "missing_api_key",
                    "missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");
        }
        Optional<String> tenant = apiKeys.tenantOf(key);
        if (tenant.isEmpty()) {
            throw new HttpRejection(401, "unknown_api_key", "unknown API key");
        }
        return tenant.get();
    }

    private static String apiKey(HttpExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        String header = exchange.getRequestHeaders().getFirst("X-API-Key");
        return header == null ? null : header.strip();
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static void reject(HttpExchange exchange, HttpRejection rejection) throws IOException {
        if (rejection.retryAfterSeconds() > 0) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(rejection.retryAfterSeconds()));
        }
        // OTLP: error bodies are a google.rpc.Status (code = 3 INVALID_ARGUMENT, 14 UNAVAILABLE, ...).
        byte[] body = status(grpcCode(rejection.status()), rejection.getMessage());
        exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
        exchange.sendResponseHeaders(rejection.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static int grpcCode(int httpStatus) {
        return switch (httpStatus) {
            case 400, 413, 415 -> 3;
            case 401 -> 16;
            case 429 -> 8;
            case 503 -> 14;
            default -> 2;
        };
    }

    /** Encodes google.rpc.Status {code = 1, message = 2} without a dependency on its classes. */
    static byte[] status(int code, String message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeInt32(1, code);
            out.writeString(2, message);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }
}
