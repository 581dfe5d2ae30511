package dev.agentwatch.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.agentwatch.collector.OutcomeReader.FieldError;
import dev.agentwatch.collector.OutcomeReader.Read;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/outcomes} (JSON, see {@link OutcomeReader}): ground truth for runs, stored in
 * {@code agentwatch_outcomes} for the API key's tenant. Answers {@code {"accepted": N}} only after
 * Kafka acknowledged every outcome; a batch with any bad field is refused whole with
 * {@code {"errors": [{"index", "field", "message"}, ...]}} naming every problem.
 */
final class OutcomeHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeHandler.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CollectorConfig config;
    private final Authenticator authenticator;
    private final InFlightLimiter limiter;
    private final KafkaPublisher publisher;
    private final CollectorMetrics metrics;
    private final Clock clock;

    OutcomeHandler(CollectorConfig config, Authenticator authenticator, InFlightLimiter limiter, KafkaPublisher publisher,
                   CollectorMetrics metrics, Clock clock) {
        this.config = config;
        this.authenticator = authenticator;
        this.limiter = limiter;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange exchange) {
        try (exchange) {
            try {
                handleOrReject(exchange);
            } catch (Rejection rejection) {
                reject(exchange, rejection);
            } catch (RuntimeException e) {
                // Answered and counted, as on /v1/traces: a closed connection says nothing to the sender.
                LOG.error("internal error on /v1/outcomes", e);
                reject(exchange, new Rejection(500, "internal_error", "internal error: " + e));
            }
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.getMessage());
        }
    }

    private void reject(HttpExchange exchange, Rejection rejection) throws IOException {
        metrics.requestRejected("outcomes_" + rejection.reason());
        if (rejection.retryAfterSeconds() > 0) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(rejection.retryAfterSeconds()));
        }
        ObjectNode error = MAPPER.createObjectNode();
        error.putArray("errors").addObject().put("index", -1).put("field", "").put("message", rejection.getMessage());
        HttpReplies.sendJson(exchange, rejection.httpStatus(), error.toString());
    }

    private void handleOrReject(HttpExchange exchange) throws IOException, Rejection {
        if (!"POST".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "POST");
            throw new Rejection(405, "method_not_allowed", "use POST for /v1/outcomes");
        }
        Headers headers = exchange.getRequestHeaders();
        String tenant = authenticator.tenant(headers.getFirst("Authorization"), headers.getFirst("X-API-Key"));
        String contentType = HttpReplies.mediaType(headers.getFirst("Content-Type"));
        if (!HttpReplies.JSON.equals(contentType)) {
            throw new Rejection(415, "unsupported_content_type",
                    "Content-Type '" + contentType + "' is not supported; send " + HttpReplies.JSON);
        }
        limiter.acquireRequest();
        try {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = RequestBodies.readLimited(in, config.maxRequestBytes(), "request body");
            }
            body = RequestBodies.decode(body, headers.getFirst("Content-Encoding"), config.maxRequestBytes());
            // Held like a trace export's JSON while its tree is built and read.
            long held = OtlpTraceHandler.jsonHolding(body.length, config);
            limiter.acquireBytes(held);
            Read read;
            try {
                read = OutcomeReader.read(body, tenant, clock.millis());
            } finally {
                limiter.releaseBytes(held);
            }
            if (!read.errors().isEmpty()) {
                metrics.outcomesRejected("invalid", Math.max(1, read.errors().stream().mapToInt(FieldError::index)
                        .distinct().map(i -> 1).sum()));
                metrics.requestRejected("outcomes_invalid");
                HttpReplies.sendJson(exchange, 400, errors(read).toString());
                return;
            }
            try {
                publisher.await(publisher.publishOutcomes(tenant, read.outcomes()), tenant, "outcomes");
            } catch (Rejection e) {
                metrics.outcomesRejected(e.reason(), read.outcomes().size());
                throw e;
            }
            metrics.outcomesAccepted(read.outcomes().size());
            HttpReplies.sendJson(exchange, 200, MAPPER.createObjectNode().put("accepted", read.outcomes().size()).toString());
        } finally {
            limiter.releaseRequest();
        }
    }

    private static ObjectNode errors(Read read) {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode errors = body.putArray("errors");
        for (FieldError error : read.errors()) {
            errors.addObject().put("index", error.index()).put("field", error.field()).put("message", error.message());
        }
        return body;
    }
}
