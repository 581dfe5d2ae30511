package dev.agentwatch.detectors.detect;

import static dev.agentwatch.detectors.TestRuns.llm;
import static dev.agentwatch.detectors.TestRuns.root;
import static dev.agentwatch.detectors.TestRuns.tool;
import static dev.agentwatch.detectors.TestRuns.trace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentwatch.detectors.TestRuns.StepBuilder;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.StepKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetDetectorTest {
    private final BudgetDetector detector = new BudgetDetector(BudgetDetector.Config.defaults());

    /** A root and {@code pairs} LLM → tool iterations, each with different arguments. */
    private static StepBuilder[] iterations(int pairs) {
        List<StepBuilder> steps = new ArrayList<>();
        steps.add(root());
        for (int i = 0; i < pairs; i++) {
            steps.add(llm(String.format("%016x", 2 * i + 1), 1000L * i));
            steps.add(tool(String.format("%016x", 2 * i + 2), "search", "args" + i, 1000L * i + 600));
        }
        return steps.toArray(StepBuilder[]::new);
    }

    @Test
    void flagsRunThatTakesMoreStepsThanItsBudget() {
        List<Finding> findings = detector.inspect(trace(iterations(7)));

        assertThat(findings).extracting(Finding::detector).containsExactly("step_budget");
        assertThat(findings.getFirst().evidence()).containsEntry("steps", "14").containsEntry("budget", "10");
        assertThat(findings.getFirst().runId()).isEqualTo(dev.agentwatch.detectors.TestRuns.RUN);
    }

    @Test
    void aLongButNormalRunAtExactlyTheBudgetDoesNotFire() {
        assertThat(detector.inspect(trace(iterations(5)))).isEmpty();
    }

    @Test
    void flagsModelCallsOverBudgetAndHonoursPerAgentOverrides() {
        StepBuilder[] steps = iterations(11);
        BudgetDetector generous = new BudgetDetector(new BudgetDetector.Config(new BudgetDetector.Budget(10, 10, 10),
                Map.of("claims-agent", new BudgetDetector.Budget(30, 12, 12))));

        assertThat(detector.inspect(trace(steps))).extracting(Finding::detector)
                .containsExactly("step_budget", "model_call_budget");
        assertThat(generous.inspect(trace(steps))).isEmpty();
    }

    @Test
    void flagsSubtaskThatMakesTooManyModelCalls() {
        List<StepBuilder> steps = new ArrayList<>(List.of(root(),
                tool("00000000000000b1", "x", "h", 0).kind(StepKind.AGENT).name("researcher").tool("", "")));
        for (int i = 0; i < 4; i++) {
            steps.add(llm(String.format("%016x", 100 + i), 100L * i).parent("00000000000000b1"));
        }
        BudgetDetector strict = new BudgetDetector(new BudgetDetector.Config(new BudgetDetector.Budget(10, 10, 3), Map.of()));

        List<Finding> findings = strict.inspect(trace(steps.toArray(StepBuilder[]::new)));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.detector()).isEqualTo("model_call_budget");
            assertThat(f.stepId()).isEqualTo("00000000000000b1");
            assertThat(f.evidence()).containsEntry("model_calls", "4").containsEntry("subtask", "researcher");
        });
    }

    @Test
    void refusesBudgetsBelowOne() {
        assertThatThrownBy(() -> new BudgetDetector.Budget(0, 10, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
