package dev.agentwatch.collector;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP {@code POST /v1/traces}: authenticate, take an in-flight slot, read within limits
 * (fixed length or chunked, identity or gzip), decode protobuf or JSON, then hand over to the
 * {@link TraceExporter}; answer in the request's encoding only after Kafka acknowledged. Every
 * refusal is counted with its reason and answered with a message that says what was wrong.
 */
final class OtlpTraceHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(OtlpTraceHandler.class);
    /** In-flight bytes held for a JSON body per byte: its Jackson and protobuf-JSON trees. */
    static final int JSON_TREE_FACTOR = 4;

    private final CollectorConfig config;
    private final Authenticator authenticator;
    private final InFlightLimiter limiter;
    private final TraceExporter exporter;
    private final CollectorMetrics metrics;

    OtlpTraceHandler(CollectorConfig config, Authenticator authenticator, InFlightLimiter limiter,
                     TraceExporter exporter, CollectorMetrics metrics) {
        this.config = config;
        this.authenticator = authenticator;
        this.limiter = limiter;
        this.exporter = exporter;
        this.metrics = metrics;
    }

    @Override
    public void handle(HttpExchange exchange) {
        try (exchange) {
            boolean json = HttpReplies.JSON.equals(HttpReplies.mediaType(exchange.getRequestHeaders().getFirst("Content-Type")));
            try {
                ExportTraceServiceResponse response = export(exchange, json);
                if (json) {
                    HttpReplies.sendJson(exchange, 200, OtlpJson.print(response));
                } else {
                    HttpReplies.send(exchange, 200, HttpReplies.PROTOBUF, response.toByteArray());
                }
            } catch (Rejection rejection) {
                metrics.requestRejected(rejection.reason());
                HttpReplies.reject(exchange, rejection, json);
            } catch (RuntimeException e) {
                LOG.error("internal error on /v1/traces", e);
                metrics.requestRejected("internal_error");
                HttpReplies.reject(exchange, new Rejection(500, "internal_error", "internal error: " + e), json);
            }
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.getMessage());
        }
    }

    private ExportTraceServiceResponse export(HttpExchange exchange, boolean json) throws IOException, Rejection {
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            throw new Rejection(405, "method_not_allowed", "use POST for /v1/traces");
        }
        Headers headers = exchange.getRequestHeaders();
        String tenant = authenticator.tenant(headers.getFirst("Authorization"), headers.getFirst("X-API-Key"));
        String contentType = HttpReplies.mediaType(headers.getFirst("Content-Type"));
        if (!json && !HttpReplies.PROTOBUF.equals(contentType)) {
            throw new Rejection(415, "unsupported_content_type", "Content-Type '" + contentType
                    + "' is not supported; send " + HttpReplies.PROTOBUF + " or " + HttpReplies.JSON);
        }
        long declared = HttpReplies.contentLength(exchange);
        if (declared > config.maxRequestBytes()) {
            throw new Rejection(413, "body_too_large", "request body of " + declared
                    + " bytes is larger than the limit of " + config.maxRequestBytes() + " bytes");
        }
        limiter.acquireRequest();
        long[] reserved = {0};
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                // Held as the bytes arrive, not as declared: a client that declares 16 MiB and sends
                // nothing must not hold other tenants' share of the budget.
                body = RequestBodies.readLimited(in, config.maxRequestBytes(), "request body", bytes -> {
                    limiter.acquireBytes(bytes);
                    reserved[0] += bytes;
                });
            }
            body = RequestBodies.decode(body, headers.getFirst("Content-Encoding"), config.maxDecodedBytes());
            long held = json ? jsonHolding(body.length, config) : body.length;
            if (held > reserved[0]) {
                limiter.acquireBytes(held - reserved[0]);
                reserved[0] = held;
            }
            return json ? exporter.export(tenant, parseJson(body)) : exporter.exportProtobuf(tenant, body);
        } finally {
            limiter.releaseBytes(reserved[0]);
            limiter.releaseRequest();
        }
    }

    private static ExportTraceServiceRequest parseJson(byte[] body) throws Rejection {
        try {
            return OtlpJson.parseRequest(body);
        } catch (InvalidProtocolBufferException e) {
            throw new Rejection(400, "undecodable_json", "body is not OTLP/JSON: " + e.getMessage());
        }
    }

    /**
     * What a JSON body of {@code bytes} holds of the in-flight budget while parsed: JSON becomes
     * trees several times its size before it is a request. At most the whole budget, so that the
     * largest body allowed can always be taken alone.
     */
    static long jsonHolding(int bytes, CollectorConfig config) {
        return Math.min((long) bytes * JSON_TREE_FACTOR, config.maxInFlightBytes());
    }
}
