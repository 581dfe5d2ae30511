package dev.agentwatch.cli;

/**
 * What one {@code agentwatch} process runs. {@code up} runs everything on one machine; the
 * others run one component against external Kafka and ClickHouse, for scale-out (N detector
 * instances, collectors behind a load balancer) and for the docker-compose stack.
 */
enum Role {
    /** Embedded Kafka and ClickHouse unless external ones are configured, plus every component. */
    ALL(true, true, true),
    /** Only the collector; needs an external Kafka. */
    COLLECTOR(true, false, false),
    /** Only the detectors (with topic creation and migrations); needs external Kafka and ClickHouse. */
    DETECTORS(false, true, true),
    /** Only topic creation and migrations, then exit. */
    MIGRATE(false, false, true);

    final boolean collector;
    final boolean detectors;
    final boolean migrations;

    Role(boolean collector, boolean detectors, boolean migrations) {
        this.collector = collector;
        this.detectors = detectors;
        this.migrations = migrations;
    }

    boolean embedsServices() {
        return this == ALL;
    }

    boolean needsClickHouse() {
        return detectors || migrations;
    }
}
