package dev.agentwatch.collector;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector: receive → decode → validate → publish. Serves OTLP/HTTP on
 * {@link CollectorConfig#httpPort()} with {@code /v1/traces}, {@code /metrics} (Prometheus) and
 * {@code /health}. Requests run on virtual threads; each waits for Kafka's acknowledgement.
 */
public final class Collector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final SpanPublisher publisher;
    private final CollectorMetrics metrics;

    private Collector(HttpServer server, ExecutorService executor, SpanPublisher publisher, CollectorMetrics metrics) {
        this.server = server;
        this.executor = executor;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    public static Collector start(CollectorConfig config) {
        CollectorMetrics metrics = new CollectorMetrics();
        SpanPublisher publisher = new SpanPublisher(config.kafkaBootstrap(), config.sendTimeoutMillis());
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(config.host(), config.httpPort()), 512);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
            server.createContext("/v1/traces", new OtlpTraceHandler(config, ApiKeys.of(config.apiKeys()), publisher, metrics));
            server.createContext("/metrics", exchange -> text(exchange, 200, metrics.prometheusText(),
                    "text/plain; version=0.0.4; charset=utf-8"));
            server.createContext("/health", exchange -> text(exchange, 200, "{\"status\":\"ok\"}\n", "application/json"));
            server.start();
            LOG.info("collector listening otlp_http=http://{}:{}/v1/traces auth={}", config.host(),
                    server.getAddress().getPort(), config.authEnabled() ? "api-keys" : "off (tenant " + config.anonymousTenant() + ")");
            return new Collector(server, executor, publisher, metrics);
        } catch (IOException e) {
            publisher.close();
            throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.httpPort()
                    + " (is another process using the port? set collector.http.port)", e);
        }
    }

    private static void text(HttpExchange exchange, int status, String body, String contentType) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    public int httpPort() {
        return server.getAddress().getPort();
    }

    public CollectorMetrics metrics() {
        return metrics;
    }

    /** Stops accepting, lets requests in flight finish (up to 5 s), then flushes the producer. */
    @Override
    public void close() {
        server.stop(5);
        executor.close();
        publisher.close();
        LOG.info("collector stopped");
    }
}
