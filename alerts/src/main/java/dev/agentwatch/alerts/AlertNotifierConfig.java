package dev.agentwatch.alerts;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What the notifier runtime needs besides the routing config.
 *
 * @param kafkaBootstrap      Kafka bootstrap servers
 * @param applicationId       Kafka Streams application id; also the prefix of the delivery consumer groups
 * @param stateDir            where the group and silence stores live (rebuilt from Kafka if lost)
 * @param processingGuarantee {@code exactly_once_v2} (default) or {@code at_least_once}
 * @param apiHost             silences API host, loopback by default
 * @param apiPort             silences API port, 0 = any free port
 * @param tick                how often due groups are flushed
 * @param partitions          partitions of the alert topics if they must be created
 * @param replicationFactor   their replication factor
 * @param instanceId          stable name of this instance (static group membership): a restarted
 *                            instance takes its partitions back at once. Unique per instance.
 */
public record AlertNotifierConfig(String kafkaBootstrap, String applicationId, Path stateDir, String processingGuarantee,
                                  String apiHost, int apiPort, Duration tick, int partitions, short replicationFactor,
                                  String instanceId) {
    private static final Set<String> GUARANTEES = Set.of("exactly_once_v2", "at_least_once");

    public AlertNotifierConfig {
        Objects.requireNonNull(kafkaBootstrap, "kafkaBootstrap");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(processingGuarantee, "processingGuarantee");
        Objects.requireNonNull(apiHost, "apiHost");
        Objects.requireNonNull(tick, "tick");
        Objects.requireNonNull(instanceId, "instanceId");
        if (!instanceId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("alerts instance id may hold only letters, digits, '.', '_' and '-', got '"
                    + instanceId + "'");
        }
        if (kafkaBootstrap.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap.servers is empty");
        }
        if (!applicationId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("alerts.application.id may hold only letters, digits, '.', '_' and '-', got '"
                    + applicationId + "'");
        }
        if (!GUARANTEES.contains(processingGuarantee)) {
            throw new IllegalArgumentException("alerts processing guarantee must be one of " + GUARANTEES + ", got '"
                    + processingGuarantee + "'");
        }
        if (apiPort < 0 || apiPort > 65535) {
            throw new IllegalArgumentException("alerts.api.port must be 0-65535, got " + apiPort);
        }
        if (tick.isNegative() || tick.isZero()) {
            throw new IllegalArgumentException("the flush tick must be positive");
        }
        if (partitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("partitions and replication factor must be at least 1");
        }
    }

    /** Defaults: exactly-once, API on 127.0.0.1:9094, one-second tick, 3 partitions, replication 1. */
    public static AlertNotifierConfig of(String kafkaBootstrap, Path stateDir) {
        return new AlertNotifierConfig(kafkaBootstrap, "agentwatch-alerts", stateDir, "exactly_once_v2", "127.0.0.1", 9094,
                Duration.ofSeconds(1), 3, (short) 1, "local-1");
    }
}
