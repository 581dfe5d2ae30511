package dev.agentwatch.collector;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentwatch.model.otlp.SpanContentFilter;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.agentwatch.topics.PipelineMetricsReporter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector: receive → authenticate → decode → filter content → split by trace → publish →
 * answer after Kafka's acknowledgement. Serves, on {@link CollectorConfig#host()}:
 * <ul>
 *   <li>OTLP/HTTP on {@link CollectorConfig#httpPort()}: {@code POST /v1/traces} (protobuf or
 *       JSON, identity or gzip, fixed length or chunked), {@code POST /v1/outcomes} (JSON),
 *       {@code GET /metrics} (Prometheus text), {@code GET /health} (JSON; 503 while Kafka is
 *       failing);</li>
 *   <li>OTLP/gRPC {@code TraceService/Export} on {@link CollectorConfig#grpcPort()} unless -1.</li>
 * </ul>
 * Prompt and completion content is removed before Kafka unless
 * {@link CollectorConfig#contentCapture()} is on, in which case it is kept with personal data and
 * secrets redacted ({@link SpanContentFilter}, {@link Redactor}). Requests run on virtual threads;
 * each waits for Kafka's acknowledgement, bounded by the in-flight limits. Thread-safe.
 */
public final class Collector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
    private static final long REPORT_INTERVAL_MILLIS = 10_000;
    /** Seconds a request (headers and body) may take to arrive, for the JDK HTTP server. */
    private static final String MAX_REQUEST_SECONDS = "sun.net.httpserver.maxReqTime";

    private final HttpServer http;
    private final Server grpc;
    private final ExecutorService executor;
    private final KafkaPublisher publisher;
    private final CollectorMetrics metrics;
    private final PipelineMetricsReporter reporter;

    private Collector(HttpServer http, Server grpc, ExecutorService executor, KafkaPublisher publisher,
                      CollectorMetrics metrics, PipelineMetricsReporter reporter) {
        this.http = http;
        this.grpc = grpc;
        this.executor = executor;
        this.publisher = publisher;
        this.metrics = metrics;
        this.reporter = reporter;
    }

    /**
     * Gives HTTP requests 120 s to arrive, headers and body. The JDK server waits forever by
     * default, so a client that sends headers and then nothing would hold a request slot for good.
     * The JDK reads this once per JVM, when its first HTTP server starts: a process that starts
     * another one first (the embedded ClickHouse) calls this before. An operator's own
     * {@code -Dsun.net.httpserver.maxReqTime} wins.
     */
    public static void limitRequestArrival() {
        if (System.getProperty(MAX_REQUEST_SECONDS) == null) {
            System.setProperty(MAX_REQUEST_SECONDS, "120");
        }
    }

    public static Collector start(CollectorConfig config) {
        CollectorMetrics metrics = new CollectorMetrics();
        KafkaPublisher publisher = new KafkaPublisher(config.kafkaBootstrap(), config.sendTimeoutMillis(), metrics);
        InFlightLimiter limiter = new InFlightLimiter(config.maxInFlightRequests(), config.maxInFlightBytes());
        metrics.inFlight(limiter::requestsInFlight, limiter::bytesInFlight);
        Authenticator authenticator = new Authenticator(config);
        SpanContentFilter filter = config.contentCapture()
                ? SpanContentFilter.redacting(Redactor.standard()) : SpanContentFilter.removing();
        TraceExporter exporter = new TraceExporter(filter, publisher, metrics);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        HttpServer http = null;
        Server grpc = null;
        try {
            limitRequestArrival();
            http = HttpServer.create(new InetSocketAddress(config.host(), config.httpPort()), 1024);
            http.setExecutor(executor);
            http.createContext("/v1/traces", new OtlpTraceHandler(config, authenticator, limiter, exporter, metrics));
            http.createContext("/v1/outcomes", new OutcomeHandler(config, authenticator, limiter, publisher, metrics,
                    Clock.systemUTC()));
            http.createContext("/metrics", exchange -> text(exchange, 200, metrics.prometheusText(),
                    "text/plain; version=0.0.4; charset=utf-8"));
            if (config.grpcPort() != CollectorConfig.NO_GRPC) {
                grpc = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.grpcPort()))
                        .executor(executor)
                        .maxInboundMessageSize(config.maxDecodedBytes())
                        .addService(new OtlpGrpcService(authenticator, limiter, exporter, metrics).definition())
                        .build()
                        .start();
            }
            int grpcPort = grpc == null ? CollectorConfig.NO_GRPC : grpc.getPort();
            http.createContext("/health", exchange -> health(exchange, config, metrics, grpcPort));
            http.start();
            LOG.info("collector listening otlp_http=http://{}:{}/v1/traces otlp_grpc={} auth={} content={}", config.host(),
                    http.getAddress().getPort(), grpc == null ? "off" : config.host() + ":" + grpcPort,
                    config.authEnabled() ? "api-keys" : "off (tenant " + config.anonymousTenant() + ")",
                    config.contentCapture() ? "captured, redacted" : "removed (lengths and hashes kept)");
            String instance = instanceName(http.getAddress().getPort());
            PipelineMetricsReporter reporter = PipelineMetricsReporter.start(config.kafkaBootstrap(), "collector-" + instance,
                    REPORT_INTERVAL_MILLIS, () -> metrics.readings(instance, System.currentTimeMillis()));
            return new Collector(http, grpc, executor, publisher, metrics, reporter);
        } catch (IOException | RuntimeException e) {
            if (http != null) {
                http.stop(0);
            }
            if (grpc != null) {
                grpc.shutdownNow();
            }
            executor.close();
            publisher.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot listen on " + config.host() + " ports http " + config.httpPort()
                        + " / grpc " + config.grpcPort()
                        + " (is another process using them? set collector.http.port / collector.grpc.port)", io);
            }
            throw new IllegalStateException("cannot start the collector on " + config.host() + " (grpc port "
                    + config.grpcPort() + "): " + e.getMessage(), e);
        }
    }

    /** Host and port: unique per collector instance, stable across its restarts. */
    private static String instanceName(int httpPort) {
        try {
            return InetAddress.getLocalHost().getHostName() + ":" + httpPort;
        } catch (UnknownHostException e) {
            return "collector:" + httpPort;
        }
    }

    private static void health(HttpExchange exchange, CollectorConfig config, CollectorMetrics metrics, int grpcPort)
            throws IOException {
        ObjectNode health = JsonNodeFactory.instance.objectNode();
        boolean failing = metrics.kafkaFailing();
        health.put("status", failing ? "kafka_failing" : "ok");
        health.put("otlp_http_port", exchange.getLocalAddress().getPort());
        health.put("otlp_grpc_port", grpcPort);
        health.put("outcomes", "/v1/outcomes");
        health.put("content", config.contentCapture() ? "captured_redacted" : "removed");
        health.put("requests_in_flight", metrics.requestsInFlight());
        health.put("bytes_in_flight", metrics.bytesInFlight());
        health.put("spans_accepted", metrics.spansAccepted());
        health.put("outcomes_accepted", metrics.outcomesAccepted());
        health.put("kafka_errors", metrics.kafkaErrors());
        health.put("last_kafka_error_epoch_ms", metrics.lastKafkaErrorEpochMillis());
        text(exchange, failing ? 503 : 200, health + "\n", HttpReplies.JSON);
    }

    private static void text(HttpExchange exchange, int status, String body, String contentType) throws IOException {
        try (exchange) {
            HttpReplies.send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    public int httpPort() {
        return http.getAddress().getPort();
    }

    /** The OTLP/gRPC port, or -1 when gRPC is off. */
    public int grpcPort() {
        return grpc == null ? CollectorConfig.NO_GRPC : grpc.getPort();
    }

    public CollectorMetrics metrics() {
        return metrics;
    }

    /** Stops accepting, lets requests in flight finish (up to 5 s), then flushes the producer. */
    @Override
    public void close() {
        if (grpc != null) {
            grpc.shutdown();
        }
        http.stop(5);
        if (grpc != null) {
            try {
                grpc.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            grpc.shutdownNow();
        }
        executor.close();
        publisher.close();
        reporter.close();
        LOG.info("collector stopped");
    }
}
