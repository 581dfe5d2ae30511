package dev.agentwatch.detectors;

import dev.agentwatch.clickhouse.ClickHouseConfig;
import dev.agentwatch.detectors.outcomes.OutcomeReconciliationConfig;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * What the detectors need.
 *
 * @param kafkaBootstrap      Kafka bootstrap servers
 * @param applicationId       Kafka Streams application id; instances sharing it share the work
 * @param stateDir            where Kafka Streams keeps its RocksDB state (rebuilt from changelogs if lost)
 * @param processingGuarantee {@code exactly_once_v2} or {@code at_least_once}
 * @param streamThreads       stream threads per instance
 * @param clickHouse          where results are written
 * @param instanceId          stable name of this instance (static group membership): a restarted
 *                            instance takes its partitions back at once instead of waiting for the
 *                            group's session timeout. Unique per instance.
 * @param detection           run assembly, metrics and every detector's settings
 * @param outcomes            delayed-outcome reconciliation settings
 */
public record DetectorsConfig(String kafkaBootstrap, String applicationId, Path stateDir, String processingGuarantee,
                              int streamThreads, ClickHouseConfig clickHouse, String instanceId,
                              DetectionConfig detection, OutcomeReconciliationConfig outcomes) {
    private static final Set<String> GUARANTEES = Set.of("exactly_once_v2", "at_least_once");

    public DetectorsConfig {
        Objects.requireNonNull(kafkaBootstrap, "kafkaBootstrap");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(processingGuarantee, "processingGuarantee");
        Objects.requireNonNull(clickHouse, "clickHouse");
        if (kafkaBootstrap.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrap.servers is empty");
        }
        if (!applicationId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("detectors.application.id may hold only letters, digits, '.', '_' and '-', got '"
                    + applicationId + "'");
        }
        if (!GUARANTEES.contains(processingGuarantee)) {
            throw new IllegalArgumentException("detectors.processing.guarantee must be one of " + GUARANTEES + ", got '"
                    + processingGuarantee + "'");
        }
        Objects.requireNonNull(instanceId, "instanceId");
        if (!instanceId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("detectors.instance.id may hold only letters, digits, '.', '_' and '-', got '"
                    + instanceId + "'");
        }
        Objects.requireNonNull(detection, "detection");
        Objects.requireNonNull(outcomes, "outcomes");
        if (streamThreads < 1) {
            throw new IllegalArgumentException("detectors.stream.threads must be at least 1, got " + streamThreads);
        }
    }

    /** With the default detection settings. */
    public DetectorsConfig(String kafkaBootstrap, String applicationId, Path stateDir, String processingGuarantee,
                           int streamThreads, ClickHouseConfig clickHouse, String instanceId) {
        this(kafkaBootstrap, applicationId, stateDir, processingGuarantee, streamThreads, clickHouse, instanceId,
                DetectionConfig.defaults());
    }

    /** With the default outcome reconciliation settings. */
    public DetectorsConfig(String kafkaBootstrap, String applicationId, Path stateDir, String processingGuarantee,
                           int streamThreads, ClickHouseConfig clickHouse, String instanceId, DetectionConfig detection) {
        this(kafkaBootstrap, applicationId, stateDir, processingGuarantee, streamThreads, clickHouse, instanceId,
                detection, OutcomeReconciliationConfig.defaults());
    }

    public static DetectorsConfig of(String kafkaBootstrap, Path stateDir, ClickHouseConfig clickHouse) {
        return new DetectorsConfig(kafkaBootstrap, "agentwatch-detectors", stateDir, "exactly_once_v2", 1, clickHouse,
                "local-1");
    }

    public DetectorsConfig withApplicationId(String otherApplicationId) {
        return new DetectorsConfig(kafkaBootstrap, otherApplicationId, stateDir, processingGuarantee, streamThreads, clickHouse,
                instanceId, detection, outcomes);
    }

    public DetectorsConfig withDetection(DetectionConfig otherDetection) {
        return new DetectorsConfig(kafkaBootstrap, applicationId, stateDir, processingGuarantee, streamThreads, clickHouse,
                instanceId, otherDetection, outcomes);
    }

    public DetectorsConfig withClickHouse(ClickHouseConfig otherClickHouse) {
        return new DetectorsConfig(kafkaBootstrap, applicationId, stateDir, processingGuarantee, streamThreads,
                otherClickHouse, instanceId, detection, outcomes);
    }

    public DetectorsConfig withOutcomes(OutcomeReconciliationConfig otherOutcomes) {
        return new DetectorsConfig(kafkaBootstrap, applicationId, stateDir, processingGuarantee, streamThreads, clickHouse,
                instanceId, detection, otherOutcomes);
    }
}
