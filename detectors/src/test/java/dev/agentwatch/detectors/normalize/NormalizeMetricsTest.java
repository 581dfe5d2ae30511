package dev.agentwatch.detectors.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.agentwatch.model.PipelineMetric;
import org.junit.jupiter.api.Test;

class NormalizeMetricsTest {

    @Test
    void readingsGiveTheStepsMadeAlwaysAndTheDeadLettersByReason() {
        NormalizeMetrics metrics = new NormalizeMetrics();
        assertThat(metrics.readings("host-1", 42L)).extracting(PipelineMetric::metric, PipelineMetric::value)
                .as("a zero from the start").containsExactly(tuple("steps_normalized", 0.0));

        metrics.recordSteps(5);
        metrics.recordDeadLetter("malformed_protobuf");

        assertThat(metrics.readings("host-1", 43L))
                .extracting(PipelineMetric::metric, PipelineMetric::reason, PipelineMetric::value)
                .containsExactlyInAnyOrder(tuple("steps_normalized", "", 5.0),
                        tuple("spans_dead_lettered", "malformed_protobuf", 1.0));
    }
}
