package dev.agentwatch.detectors.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentwatch.model.PipelineMetric;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detectors' HTTP endpoints: {@code GET /health}, the {@link HealthReport} as JSON, 200 when
 * ok and 503 otherwise, for container health checks and load balancers; and {@code GET /metrics},
 * their readings for Prometheus ({@link PrometheusText}). One small thread.
 */
public final class HealthServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer http;
    private final ExecutorService executor;

    private HealthServer(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    /** Serves {@code report} and {@code readings} on {@code host:port} (port 0: any free port). */
    public static HealthServer start(String host, int port, Supplier<HealthReport> report,
                                     Supplier<List<PipelineMetric>> readings) {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + " for the detectors' /health: "
                    + e.getMessage() + " (set detectors.http.port, or -1 to turn it off)", e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon()
                .name("detectors-health").unstarted(r));
        http.setExecutor(executor);
        http.createContext("/", exchange -> reply(exchange, 404, "{\"error\":\"not found; try /health or /metrics\"}\n"));
        serve(http, "/health", "health report", () -> {
            HealthReport health = report.get();
            return new Reply(health.ok() ? 200 : 503, JSON_TYPE, JSON.writeValueAsString(health) + "\n");
        });
        serve(http, "/metrics", "metrics readings", () -> new Reply(200, PROMETHEUS_TEXT,
                PrometheusText.format(readings.get())));
        http.start();
        LOG.info("detectors health and metrics listening url=http://{}:{}/health", host, http.getAddress().getPort());
        return new HealthServer(http, executor);
    }

    private record Reply(int status, String contentType, String body) {
    }

    /** Makes the reply to a GET; may throw what serializing it throws. */
    @FunctionalInterface
    private interface Answer {
        Reply get() throws IOException;
    }

    /** GET (and HEAD) on {@code path} answered by {@code answer}; 405 for other methods, 500 if it fails. */
    private static void serve(HttpServer http, String path, String what, Answer answer) {
        http.createContext(path, exchange -> {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                reply(exchange, 405, "{\"error\":\"GET only\"}\n");
                return;
            }
            Reply reply;
            try {
                reply = answer.get();
            } catch (RuntimeException e) {
                LOG.warn("{} failed", what, e);
                reply(exchange, 500, "{\"error\":\"" + what + " failed\"}\n");
                return;
            }
            reply(exchange, reply.status(), reply.contentType(), reply.body());
        });
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        reply(exchange, status, JSON_TYPE, json);
    }

    private static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
