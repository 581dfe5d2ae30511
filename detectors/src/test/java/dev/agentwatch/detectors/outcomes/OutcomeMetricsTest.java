package dev.agentwatch.detectors.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.agentwatch.model.PipelineMetric;
import org.junit.jupiter.api.Test;

class OutcomeMetricsTest {

    @Test
    void readingsTakeTheLastPartOfACounterNameAsTheReason() {
        OutcomeMetrics metrics = new OutcomeMetrics();
        metrics.count("outcomes.ignored", "stale");
        metrics.count("outcomes.ignored", "stale");
        metrics.count("findings", "silent_failure");
        metrics.count("expired");

        assertThat(metrics.readings("host-1", 42L))
                .allSatisfy(reading -> assertThat(reading.component()).isEqualTo("detectors"))
                .extracting(PipelineMetric::metric, PipelineMetric::reason, PipelineMetric::value)
                .containsExactlyInAnyOrder(
                        tuple("outcome_outcomes_ignored", "stale", 2.0),
                        tuple("outcome_findings", "silent_failure", 1.0),
                        tuple("outcome_expired", "", 1.0));
    }
}
