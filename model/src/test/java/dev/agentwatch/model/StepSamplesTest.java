package dev.agentwatch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepSamplesTest {
    private static StepSample sample(String runId, String agentVersion, String stepId) {
        return new StepSample("acme", "claims-agent", agentVersion, StepKind.LLM, "chat gpt-4o-mini", "gpt-4o-mini", runId,
                stepId, "CLAIM-1", 1_000_000L, 500_000L, false, 10, 5, 0.001);
    }

    @Test
    void holdsSamplesOfOneRunAndMetricKeyInTheirOrder() {
        StepSample first = sample("run-1", "1.0", "a");
        StepSample second = sample("run-1", "1.0", "b");

        StepSamples samples = new StepSamples(List.of(first, second));

        assertThat(samples.samples()).containsExactly(first, second);
        assertThat(samples.metricKey()).isEqualTo(first.metricKey());
        assertThat(StepSamples.of(second).samples()).containsExactly(second);
    }

    @Test
    void refusesNoSamplesAndSamplesOfAnotherRunOrKey() {
        StepSample first = sample("run-1", "1.0", "a");

        assertThatThrownBy(() -> new StepSamples(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StepSamples(List.of(first, sample("run-2", "1.0", "b"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot hold a sample of run run-2");
        assertThatThrownBy(() -> new StepSamples(List.of(first, sample("run-1", "2.0", "b"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acme/claims-agent/2.0/llm/chat gpt-4o-mini/gpt-4o-mini");
    }
}
