package dev.agentwatch.detectors.detect;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.Severity;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Step and model-call budgets. A run over its step budget (steps other than the root) raises
 * {@code step_budget}; over its model-call budget (LLM steps) {@code model_call_budget}; a subtask
 * (a non-root agent or workflow step) whose descendants make more model calls than the per-subtask
 * budget raises {@code model_call_budget} on that step. Budgets are per agent, with defaults.
 */
public final class BudgetDetector implements RunDetector {
    public static final String STEP_BUDGET = "step_budget";
    public static final String MODEL_CALL_BUDGET = "model_call_budget";

    /**
     * Budgets of one agent.
     *
     * @param maxSteps                  steps per run, root excluded
     * @param maxModelCalls             LLM calls per run
     * @param maxModelCallsPerSubtask   LLM calls under one sub-agent or workflow step
     */
    public record Budget(int maxSteps, int maxModelCalls, int maxModelCallsPerSubtask) {
        public Budget {
            if (maxSteps < 1 || maxModelCalls < 1 || maxModelCallsPerSubtask < 1) {
                throw new IllegalArgumentException("budgets must be at least 1, got steps=" + maxSteps
                        + " model_calls=" + maxModelCalls + " per_subtask=" + maxModelCallsPerSubtask);
            }
        }
    }

    /**
     * @param defaults  budgets of agents without an override (10 / 10 / 10)
     * @param perAgent  overrides by agent name
     */
    public record Config(Budget standard, Map<String, Budget> perAgent) {
        public Config {
            Objects.requireNonNull(standard, "standard");
            perAgent = Map.copyOf(perAgent);
        }

        public static Config defaults() {
            return new Config(new Budget(10, 10, 10), Map.of());
        }

        Budget budgetOf(String agent) {
            return perAgent.getOrDefault(agent, standard);
        }
    }

    private final Config config;

    public BudgetDetector(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public String name() {
        return STEP_BUDGET;
    }

    @Override
    public List<Finding> inspect(RunTrace trace) {
        Run run = trace.run();
        Budget budget = config.budgetOf(run.agentName());
        List<Finding> findings = new ArrayList<>();
        int steps = run.steps() - (run.rootStepId().isEmpty() ? 0 : 1);
        if (steps > budget.maxSteps()) {
            findings.add(RunFindings.of(STEP_BUDGET, Severity.WARNING, trace, "", "run",
                    "run took " + steps + " steps, budget " + budget.maxSteps(), run.endEpochNanos(),
                    Map.of("steps", Integer.toString(steps), "budget", Integer.toString(budget.maxSteps()))));
        }
        if (run.llmCalls() > budget.maxModelCalls()) {
            findings.add(RunFindings.of(MODEL_CALL_BUDGET, Severity.WARNING, trace, "", "run",
                    "run made " + run.llmCalls() + " model calls, budget " + budget.maxModelCalls(), run.endEpochNanos(),
                    Map.of("model_calls", Integer.toString(run.llmCalls()), "budget",
                            Integer.toString(budget.maxModelCalls()))));
        }
        findings.addAll(subtasksOverBudget(trace, budget));
        return findings;
    }

    private static List<Finding> subtasksOverBudget(RunTrace trace, Budget budget) {
        Map<String, Step> byId = new HashMap<>();
        for (Step step : trace.steps()) {
            byId.put(step.stepId(), step);
        }
        Map<String, Integer> modelCallsUnder = new HashMap<>();
        for (Step step : trace.steps()) {
            if (step.kind() != StepKind.LLM) {
                continue;
            }
            // Each enclosing subtask counts the call; bounded walk guards against parent cycles.
            Step parent = byId.get(step.parentStepId());
            for (int depth = 0; parent != null && depth < 64; depth++) {
                if (isSubtask(parent)) {
                    modelCallsUnder.merge(parent.stepId(), 1, Integer::sum);
                }
                parent = byId.get(parent.parentStepId());
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (Step step : trace.steps()) {
            int calls = modelCallsUnder.getOrDefault(step.stepId(), 0);
            if (calls > budget.maxModelCallsPerSubtask()) {
                findings.add(RunFindings.of(MODEL_CALL_BUDGET, Severity.WARNING, trace, step.stepId(), "subtask",
                        "subtask " + step.name() + " made " + calls + " model calls, budget "
                                + budget.maxModelCallsPerSubtask(), step.endEpochNanos(),
                        Map.of("model_calls", Integer.toString(calls), "budget",
                                Integer.toString(budget.maxModelCallsPerSubtask()), "subtask", step.name())));
            }
        }
        return findings;
    }

    private static boolean isSubtask(Step step) {
        return !step.isRoot() && (step.kind() == StepKind.AGENT || step.kind() == StepKind.WORKFLOW);
    }
}
