package dev.agentwatch.collector;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Objects;

/**
 * What the collector needs.
 *
 * @param host              address to bind; loopback by default
 * @param httpPort          OTLP/HTTP port (4318 by convention; 0 = ephemeral)
 * @param maxRequestBytes   largest request body accepted, as sent (compressed or not)
 * @param maxDecodedBytes   largest body after decompression (guards against gzip bombs)
 * @param authEnabled       when false every request is accepted for {@link #anonymousTenant}
 * @param apiKeys           SHA-256 hex of an API key -> tenant; keys themselves are never stored
 * @param anonymousTenant   tenant used when auth is disabled
 * @param kafkaBootstrap    Kafka bootstrap servers
 * @param sendTimeoutMillis how long a request waits for Kafka's acknowledgement before 503
 */
public record CollectorConfig(String host, int httpPort, int maxRequestBytes, int maxDecodedBytes,
                              boolean authEnabled, Map<String, String> apiKeys, String anonymousTenant,
                              String kafkaBootstrap, int sendTimeoutMillis) {
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
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("collector.max.request.bytes must be at least 1024, got " + maxRequestBytes);
        }
        if (maxDecodedBytes < maxRequestBytes) {
            throw new IllegalArgumentException("collector.max.decoded.bytes (" + maxDecodedBytes
                    + ") must be at least collector.max.request.bytes (" + maxRequestBytes + ")");
        }
        if (authEnabled && apiKeys.isEmpty()) {
            throw new IllegalArgumentException("collector auth is on but no API keys are configured: add "
                    + "collector.api.keys (sha256-of-key=tenant, ...) or set collector.auth.enabled=false");
        }
        for (String hash : apiKeys.keySet()) {
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("collector.api.keys entries must be lowercase SHA-256 hex of the key, got '"
                        + hash.substring(0, Math.min(8, hash.length())) + "...'");
            }
        }
        if (kafkaBootstrap.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap.servers is empty");
        }
        if (sendTimeoutMillis < 100) {
            throw new IllegalArgumentException("collector.send.timeout.ms must be at least 100, got " + sendTimeoutMillis);
        }
    }

    /** Loopback, 4318, 16 MiB requests, 64 MiB decoded, auth with the given keys. */
    public static CollectorConfig of(String kafkaBootstrap, Map<String, String> apiKeys) {
        return new CollectorConfig("127.0.0.1", 4318, 16 << 20, 64 << 20, true, apiKeys, "default", kafkaBootstrap, 10_000);
    }

    public CollectorConfig withPort(int port) {
        return new CollectorConfig(host, port, maxRequestBytes, maxDecodedBytes, authEnabled, apiKeys, anonymousTenant,
                kafkaBootstrap, sendTimeoutMillis);
    }

    public CollectorConfig withoutAuth(String tenant) {
        return new CollectorConfig(host, httpPort, maxRequestBytes, maxDecodedBytes, false, Map.of(), tenant,
                kafkaBootstrap, sendTimeoutMillis);
    }

    @Override
    public String toString() {
        return "CollectorConfig[host=" + host + ", httpPort=" + httpPort + ", maxRequestBytes=" + maxRequestBytes
                + ", maxDecodedBytes=" + maxDecodedBytes + ", authEnabled=" + authEnabled + ", apiKeys="
                + apiKeys.size() + " (hashed), tenants=" + apiKeys.values().stream().distinct().sorted().toList()
                + ", kafkaBootstrap=" + kafkaBootstrap + ", sendTimeoutMillis=" + sendTimeoutMillis + "]";
    }
}
