package dev.agentwatch.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The silences HTTP API, in Alertmanager's v2 shape, on loopback by default:
 * <pre>
 *   POST   /api/v2/silences       {"matchers": ["alertname=\"loop\"", ...] or [{"name","value","isRegex","isEqual"}],
 *                                 "startsAt"?: RFC3339, "endsAt"?: RFC3339, "duration"?: "2h", "createdBy", "comment"}
 *                                 → 201 {"silenceID": "..."}
 *   GET    /api/v2/silences       → 200 [silence, ...] with "status": {"state": active|pending|expired}
 *   GET    /api/v2/silence/{id}   → 200 silence | 404
 *   DELETE /api/v2/silence/{id}   → 200 (expired now) | 404
 *   GET    /metrics               → the notifier's counters, Prometheus text format
 * </pre>
 * Bad requests get 400 with a message saying what to fix.
 */
final class SilenceApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SilenceApi.class);
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final ExecutorService executor;
    private final SilenceBook book;
    private final Clock clock;

    private final AlertsMetrics metrics;

    private SilenceApi(HttpServer server, ExecutorService executor, SilenceBook book, Clock clock, AlertsMetrics metrics) {
        this.server = server;
        this.executor = executor;
        this.book = book;
        this.clock = clock;
        this.metrics = metrics;
    }

    static SilenceApi start(String host, int port, SilenceBook book, Clock clock, AlertsMetrics metrics) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            SilenceApi api = new SilenceApi(server, executor, book, clock, metrics);
            server.createContext("/api/v2/silences", api::handleCollection);
            server.createContext("/api/v2/silence/", api::handleOne);
            server.createContext("/metrics", api::handleMetrics);
            server.setExecutor(executor);
            server.start();
            return api;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the silences API on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handleCollection(HttpExchange exchange) throws IOException {
        try (exchange) {
            switch (exchange.getRequestMethod()) {
                case "GET" -> {
                    ArrayNode list = JsonNodeFactory.instance.arrayNode();
                    long now = clock.millis();
                    book.list().forEach(s -> list.add(json(s, now)));
                    respond(exchange, 200, list);
                }
                case "POST" -> create(exchange);
                default -> respond(exchange, 405, error("use GET or POST"));
            }
        } catch (RuntimeException e) {
            LOG.atWarn().setMessage("silences API error").setCause(e).log();
        }
    }

    private void handleMetrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] text = metrics.prometheusText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, text.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(text);
            }
        }
    }

    private void handleOne(HttpExchange exchange) throws IOException {
        try (exchange) {
            String id = exchange.getRequestURI().getPath().substring("/api/v2/silence/".length());
            Optional<Silence> result = switch (exchange.getRequestMethod()) {
                case "GET" -> book.get(id);
                case "DELETE" -> book.expire(id);
                default -> null;
            };
            if (result == null) {
                respond(exchange, 405, error("use GET or DELETE"));
            } else if (result.isEmpty()) {
                respond(exchange, 404, error("no silence " + id));
            } else {
                if (exchange.getRequestMethod().equals("DELETE")) {
                    LOG.atInfo().setMessage("silence expired").addKeyValue("silence_id", id).log();
                }
                respond(exchange, 200, json(result.get(), clock.millis()));
            }
        } catch (RuntimeException e) {
            LOG.atWarn().setMessage("silences API error").setCause(e).log();
        }
    }

    private void create(HttpExchange exchange) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                respond(exchange, 413, error("body larger than " + MAX_BODY_BYTES + " bytes"));
                return;
            }
            body = JSON.readTree(bytes);
        } catch (IOException e) {
            respond(exchange, 400, error("body is not JSON: " + e.getMessage()));
            return;
        }
        try {
            if (body == null || !body.isObject()) {
                throw new IllegalArgumentException("body must be a JSON object");
            }
            List<LabelMatcher> matchers = matchers(body.path("matchers"));
            long now = clock.millis();
            long startsAt = body.hasNonNull("startsAt") ? instant(body.get("startsAt").asText(), "startsAt") : now;
            long endsAt;
            if (body.hasNonNull("endsAt")) {
                endsAt = instant(body.get("endsAt").asText(), "endsAt");
            } else if (body.hasNonNull("duration")) {
                endsAt = startsAt + DurationText.parse(body.get("duration").asText()).toMillis();
            } else {
                throw new IllegalArgumentException("give endsAt (RFC3339) or duration (e.g. 2h)");
            }
            String createdBy = body.path("createdBy").asText("").strip();
            String comment = body.path("comment").asText("").strip();
            if (createdBy.isEmpty() || comment.isEmpty()) {
                throw new IllegalArgumentException("createdBy and comment are required: say who silences what and why");
            }
            Silence silence = book.create(matchers, startsAt, endsAt, createdBy, comment);
            LOG.atInfo().setMessage("silence created").addKeyValue("silence_id", silence.id())
                    .addKeyValue("matchers", silence.matchers().toString()).addKeyValue("created_by", createdBy).log();
            ObjectNode created = JsonNodeFactory.instance.objectNode();
            created.put("silenceID", silence.id());
            respond(exchange, 201, created);
        } catch (IllegalArgumentException e) {
            respond(exchange, 400, error(e.getMessage()));
        }
    }

    private static List<LabelMatcher> matchers(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException("matchers must be a non-empty array");
        }
        List<LabelMatcher> matchers = new ArrayList<>();
        for (JsonNode item : node) {
            if (item.isTextual()) {
                matchers.add(LabelMatcher.parse(item.asText()));
            } else if (item.isObject() && item.hasNonNull("name") && item.hasNonNull("value")) {
                boolean regex = item.path("isRegex").asBoolean(false);
                boolean equal = item.path("isEqual").asBoolean(true);
                LabelMatcher.Operator operator = regex ? (equal ? LabelMatcher.Operator.REGEX : LabelMatcher.Operator.NOT_REGEX)
                        : (equal ? LabelMatcher.Operator.EQUAL : LabelMatcher.Operator.NOT_EQUAL);
                matchers.add(LabelMatcher.of(item.get("name").asText(), operator, item.get("value").asText()));
            } else {
                throw new IllegalArgumentException("each matcher is a string like name=\"value\" or {name, value, isRegex, isEqual}");
            }
        }
        return matchers;
    }

    private static long instant(String text, String field) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " must be an RFC3339 time such as 2026-01-01T12:00:00Z, got '" + text + "'");
        }
    }

    static ObjectNode json(Silence silence, long nowEpochMillis) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", silence.id());
        ArrayNode matchers = node.putArray("matchers");
        for (LabelMatcher m : silence.matchers()) {
            matchers.addObject().put("name", m.name()).put("value", m.value())
                    .put("isRegex", m.operator() == LabelMatcher.Operator.REGEX || m.operator() == LabelMatcher.Operator.NOT_REGEX)
                    .put("isEqual", m.operator() == LabelMatcher.Operator.EQUAL || m.operator() == LabelMatcher.Operator.REGEX);
        }
        node.put("startsAt", Instant.ofEpochMilli(silence.startsAtEpochMillis()).toString());
        node.put("endsAt", Instant.ofEpochMilli(silence.endsAtEpochMillis()).toString());
        node.put("updatedAt", Instant.ofEpochMilli(silence.updatedAtEpochMillis()).toString());
        node.put("createdBy", silence.createdBy());
        node.put("comment", silence.comment());
        node.putObject("status").put("state", silence.state(nowEpochMillis));
        return node;
    }

    private static ObjectNode error(String message) {
        return JsonNodeFactory.instance.objectNode().put("error", message);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
