package dev.agentwatch.collector;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Objects;

/**
 * What the collector needs.
 *
 * @param host                address to bind (both ports); loopback by default
 * @param httpPort            OTLP/HTTP port (4318 by convention; 0 = ephemeral)
 * @param grpcPort            OTLP/gRPC port (4317 by convention; 0 = ephemeral; -1 = no gRPC)
 * @param maxRequestBytes     largest request body accepted, as sent (compressed or not)
 * @param maxDecodedBytes     largest body after decompression (guards against gzip bombs); also
 *                            the largest gRPC message
 * @param maxInFlightRequests requests being processed at once before new ones get 429 / RESOURCE_EXHAUSTED
 * @param maxInFlightBytes    decoded bytes held by requests in flight before new ones get 429
 * @param authEnabled         when false every request is accepted for {@link #anonymousTenant}
 * @param apiKeys             SHA-256 hex of an API key -> tenant; keys themselves are never stored
 * @param anonymousTenant     tenant used when auth is disabled
 * @param kafkaBootstrap      Kafka bootstrap servers
 * @param sendTimeoutMillis   how long a request waits for Kafka's acknowledgement before 503
 * @param contentCapture      false (default): prompt/completion content is removed before Kafka,
 *                            leaving lengths and hashes; true: kept with personal data and secrets
 *                            redacted ({@link Redactor})
 */
public record CollectorConfig(String host, int httpPort, int grpcPort, int maxRequestBytes, int maxDecodedBytes,
                              int maxInFlightRequests, long maxInFlightBytes, boolean authEnabled,
                              Map<String, String> apiKeys, String anonymousTenant, String kafkaBootstrap,
                              int sendTimeoutMillis, boolean contentCapture) {

    /** The gRPC port value that turns OTLP/gRPC off. */
    public static final int NO_GRPC = -1;

    public CollectorConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(anonymousTenant, "anonymousTenant");
        Objects.requireNonNull(kafkaBootstrap, "kafkaBootstrap");
        apiKeys = Map.copyOf(apiKeys);
        try {
            InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("collector.host '" + host + "' does not resolve", e);
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("collector.http.port must be 0..65535, got " + httpPort);
        }
        if (grpcPort < NO_GRPC || grpcPort > 65535) {
            throw new IllegalArgumentException("collector.grpc.port must be 0..65535, or -1 for no gRPC, got " + grpcPort);
        }
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("collector.max.request.bytes must be at least 1024, got " + maxRequestBytes);
        }
        if (maxDecodedBytes < maxRequestBytes) {
            throw new IllegalArgumentException("collector.max.decoded.bytes (" + maxDecodedBytes
                    + ") must be at least collector.max.request.bytes (" + maxRequestBytes + ")");
        }
        if (maxInFlightRequests < 1) {
            throw new IllegalArgumentException("collector.max.inflight.requests must be at least 1, got " + maxInFlightRequests);
        }
        if (maxInFlightBytes < maxDecodedBytes) {
            throw new IllegalArgumentException("collector.max.inflight.bytes (" + maxInFlightBytes
                    + ") must be at least collector.max.decoded.bytes (" + maxDecodedBytes
                    + "), or the largest allowed request could never be taken");
        }
        if (authEnabled && apiKeys.isEmpty()) {
            throw new IllegalArgumentException("collector auth is on but no API keys are configured: add "
                    + "collector.api.keys (sha256-of-key=tenant, ...) or set collector.auth.enabled=false");
        }
        for (Map.Entry<String, String> entry : apiKeys.entrySet()) {
            String hash = entry.getKey();
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("collector.api.keys entries must be lowercase SHA-256 hex of the key, got '"
                        + hash.substring(0, Math.min(8, hash.length())) + "...'");
            }
            if (entry.getValue().isBlank()) {
                throw new IllegalArgumentException("collector.api.keys: a key maps to an empty tenant");
            }
        }
        if (kafkaBootstrap.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap.servers is empty");
        }
        if (sendTimeoutMillis < 100) {
            throw new IllegalArgumentException("collector.send.timeout.ms must be at least 100, got " + sendTimeoutMillis);
        }
    }

    /**
     * Loopback, OTLP/HTTP 4318 and OTLP/gRPC 4317, 16 MiB requests, 64 MiB decoded, 1024 requests
     * and 512 MiB in flight, 10 s send timeout, content removed, auth with the given keys.
     */
    public static CollectorConfig of(String kafkaBootstrap, Map<String, String> apiKeys) {
        return new CollectorConfig("127.0.0.1", 4318, 4317, 16 << 20, 64 << 20, 1024, 512L << 20, true, apiKeys,
                "default", kafkaBootstrap, 10_000, false);
    }

    /** Same, on other ports (0 = ephemeral, gRPC -1 = off). */
    public CollectorConfig withPorts(int http, int grpc) {
        return new CollectorConfig(host, http, grpc, maxRequestBytes, maxDecodedBytes, maxInFlightRequests,
                maxInFlightBytes, authEnabled, apiKeys, anonymousTenant, kafkaBootstrap, sendTimeoutMillis, contentCapture);
    }

    public CollectorConfig withoutAuth(String tenant) {
        return new CollectorConfig(host, httpPort, grpcPort, maxRequestBytes, maxDecodedBytes, maxInFlightRequests,
                maxInFlightBytes, false, Map.of(), tenant, kafkaBootstrap, sendTimeoutMillis, contentCapture);
    }

    public CollectorConfig withSizeLimits(int maxRequest, int maxDecoded) {
        return new CollectorConfig(host, httpPort, grpcPort, maxRequest, maxDecoded, maxInFlightRequests,
                Math.max(maxInFlightBytes, maxDecoded), authEnabled, apiKeys, anonymousTenant, kafkaBootstrap,
                sendTimeoutMillis, contentCapture);
    }

    public CollectorConfig withInFlightLimits(int requests, long bytes) {
        return new CollectorConfig(host, httpPort, grpcPort, maxRequestBytes, maxDecodedBytes, requests, bytes,
                authEnabled, apiKeys, anonymousTenant, kafkaBootstrap, sendTimeoutMillis, contentCapture);
    }

    public CollectorConfig withSendTimeoutMillis(int millis) {
        return new CollectorConfig(host, httpPort, grpcPort, maxRequestBytes, maxDecodedBytes, maxInFlightRequests,
                maxInFlightBytes, authEnabled, apiKeys, anonymousTenant, kafkaBootstrap, millis, contentCapture);
    }

    public CollectorConfig withContentCapture(boolean capture) {
        return new CollectorConfig(host, httpPort, grpcPort, maxRequestBytes, maxDecodedBytes, maxInFlightRequests,
                maxInFlightBytes, authEnabled, apiKeys, anonymousTenant, kafkaBootstrap, sendTimeoutMillis, capture);
    }

    @Override
    public String toString() {
        return "CollectorConfig[host=" + host + ", httpPort=" + httpPort + ", grpcPort=" + grpcPort
                + ", maxRequestBytes=" + maxRequestBytes + ", maxDecodedBytes=" + maxDecodedBytes
                + ", maxInFlightRequests=" + maxInFlightRequests + ", maxInFlightBytes=" + maxInFlightBytes
                + ", authEnabled=" + authEnabled + ", apiKeys=" + apiKeys.size() + " (hashed), tenants="
                + apiKeys.values().stream().distinct().sorted().toList() + ", kafkaBootstrap=" + kafkaBootstrap
                + ", sendTimeoutMillis=" + sendTimeoutMillis + ", contentCapture=" + contentCapture + "]";
    }
}
