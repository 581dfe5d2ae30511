package dev.agentwatch.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepBatchTest {
    private static Step step(String tenant, String runId, String stepId) {
        return new Step(tenant, "claims-service", "claims-agent", "1.0", runId, stepId, "", StepKind.TOOL, "lookup_policy",
                "lookup_policy", "execute_tool", "", "", 1_000_000L, 2_000_000L, StepStatus.OK, "", "", TokenUsage.NONE, 0,
                "", "lookup_policy", "", "", false, List.of(), "", "", "", List.of(), 0, 0, "");
    }

    @Test
    void holdsOneRunsStepsInTheirOrder() {
        Step first = step("acme", "run-1", "a");
        Step second = step("acme", "run-1", "b");

        StepBatch batch = new StepBatch(List.of(first, second));

        assertThat(batch.steps()).containsExactly(first, second);
        assertThat(batch.runId()).isEqualTo("run-1");
        assertThat(StepBatch.of(second).steps()).containsExactly(second);
    }

    @Test
    void refusesNoStepsAndStepsOfAnotherRunOrTenant() {
        Step first = step("acme", "run-1", "a");

        assertThatThrownBy(() -> new StepBatch(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StepBatch(List.of(first, step("acme", "run-2", "b"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step b of run acme/run-2");
        assertThatThrownBy(() -> new StepBatch(List.of(first, step("globex", "run-1", "b"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step b of run globex/run-1");
    }
}
