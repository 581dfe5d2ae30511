package dev.agentwatch.detectors.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class HealthReportTest {
    private static final HealthReport.Limits LIMITS = HealthReport.Limits.defaults();
    private static final Map<String, State> RUNNING = Map.of("runs", State.RUNNING, "metrics", State.RUNNING,
            "outcomes", State.RUNNING);

    private static HealthReport assess(Map<String, State> pipelines, Map<String, Integer> threadFailures,
                                       Map<String, Integer> sinkRestarts, Map<String, Long> sinkFailingMillis) {
        return HealthReport.assess(pipelines, threadFailures, sinkRestarts, sinkFailingMillis, LIMITS);
    }

    @Test
    void isOkWhenEveryPipelineRunsAndEverySinkWrites() {
        HealthReport health = assess(RUNNING, Map.of(), Map.of(), Map.of());

        assertThat(health.status()).isEqualTo(HealthReport.OK);
        assertThat(health.ok()).isTrue();
        assertThat(health.problems()).isEmpty();
        assertThat(health.pipelines()).containsEntry("runs", "RUNNING").hasSize(3);
    }

    @Test
    void startingOrRebalancingPipelinesAndAFewRecoveriesAreNotFailures() {
        HealthReport health = assess(Map.of("runs", State.REBALANCING, "metrics", State.CREATED, "outcomes", State.RUNNING),
                Map.of("runs", 2), Map.of("steps", 2), Map.of("runs", 59_000L));

        assertThat(health.ok()).isTrue();
        assertThat(health.sinkFailingSeconds()).as("shown, not yet a failure").containsEntry("runs", 59L);
    }

    @Test
    void aStoppedPipelineIsFailing() {
        HealthReport health = assess(Map.of("runs", State.ERROR, "metrics", State.RUNNING, "outcomes",
                State.PENDING_SHUTDOWN), Map.of(), Map.of(), Map.of());

        assertThat(health.status()).isEqualTo(HealthReport.PIPELINE_FAILING);
        assertThat(health.problems()).containsExactlyInAnyOrder("pipeline runs is ERROR", "pipeline outcomes is PENDING_SHUTDOWN");
    }

    @Test
    void aPipelineReplacingFailedThreadsOverAndOverIsFailing() {
        HealthReport health = assess(RUNNING, Map.of("runs", 3), Map.of(), Map.of());

        assertThat(health.status()).isEqualTo(HealthReport.PIPELINE_FAILING);
        assertThat(health.problems()).singleElement().asString()
                .contains("pipeline runs replaced a failed stream thread 3 times in the last 10 min");
    }

    @Test
    void aSinkRestartingOverAndOverIsFailing() {
        HealthReport health = assess(RUNNING, Map.of(), Map.of("findings", 4), Map.of());

        assertThat(health.status()).isEqualTo(HealthReport.PIPELINE_FAILING);
        assertThat(health.problems()).singleElement().asString().contains("findings sink restarted after a failure 4 times");
    }

    @Test
    void writesFailingForAMinuteMeanClickHouseIsFailingAndAPipelineFailureComesFirst() {
        HealthReport writes = assess(RUNNING, Map.of(), Map.of(), Map.of("steps", 61_000L, "runs", 2_000L));
        HealthReport both = assess(Map.of("runs", State.NOT_RUNNING), Map.of(), Map.of(), Map.of("steps", 61_000L));

        assertThat(writes.status()).isEqualTo(HealthReport.CLICKHOUSE_FAILING);
        assertThat(writes.problems()).containsExactly("writes to ClickHouse table steps have failed for 61 s; rows wait in Kafka");
        assertThat(writes.sinkFailingSeconds()).containsEntry("steps", 61L).containsEntry("runs", 2L);
        assertThat(both.status()).isEqualTo(HealthReport.PIPELINE_FAILING);
        assertThat(both.problems()).hasSize(2);
    }

    @Test
    void recentFailuresForgetWhatIsOlderThanTheWindow() {
        RecentFailures failures = new RecentFailures(Duration.ofMinutes(10));
        failures.record("runs", 0);
        failures.record("runs", 300_000);
        failures.record("metrics", 500_000);

        assertThat(failures.within(500_000)).containsExactly(Map.entry("metrics", 1), Map.entry("runs", 2));
        assertThat(failures.within(600_001)).containsExactly(Map.entry("metrics", 1), Map.entry("runs", 1));
        assertThat(failures.within(1_200_000)).isEmpty();
    }
}
