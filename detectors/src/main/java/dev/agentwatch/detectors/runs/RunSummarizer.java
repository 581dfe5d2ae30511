package dev.agentwatch.detectors.runs;

import dev.agentwatch.detectors.detect.RunTrace;
import dev.agentwatch.model.Evaluation;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunStatus;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepSample;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Summarizes a run's steps into a {@link Run}. Pure. Run-wide values (agent, version, subject,
 * claim) come from the root when it has them, else from the first step (in start order) that
 * does: child spans often name no agent, and the root often arrives last.
 */
public final class RunSummarizer {
    static final int MAX_PATH = 64;

    private RunSummarizer() {
    }

    /** The first close (revision 0) of a run made of these steps (at least one). */
    public static Run summarize(List<Step> steps, long closedAtMillis) {
        RunState state = new RunState(steps, 0, RunState.Overflow.NONE, closedAtMillis, false, 0, 0, 0, Map.of());
        return summarize(state, closedAtMillis, 0, 0);
    }

    static Run summarize(RunState state, long closedAtMillis, int revision, int lateSteps) {
        List<Step> steps = new ArrayList<>(state.steps());
        steps.sort(RunTrace.START_ORDER);
        Step root = rootOf(steps);
        Step first = steps.getFirst();
        RunState.Overflow overflow = state.overflow();

        long start = Math.min(first.startEpochNanos(), overflow.startEpochNanos());
        long end = overflow.endEpochNanos();
        int llm = overflow.llmCalls();
        int tools = overflow.toolCalls();
        int errors = overflow.errors();
        int handoffs = overflow.handoffs();
        long inputTokens = overflow.inputTokens();
        long outputTokens = overflow.outputTokens();
        double cost = overflow.costUsd();
        int retries = 0;
        Set<String> models = new LinkedHashSet<>();
        List<String> path = new ArrayList<>();
        Step previous = null;
        Evaluation judge = null;
        long judgeAt = Long.MIN_VALUE;
        for (Step step : steps) {
            end = Math.max(end, step.endEpochNanos());
            switch (step.kind()) {
                case LLM -> {
                    llm++;
                    if (!step.model().isEmpty()) {
                        models.add(step.model());
                    }
                }
                case TOOL -> tools++;
                case HANDOFF -> handoffs++;
                default -> {
                }
            }
            if (step.failed()) {
                errors++;
            }
            if (step.kind() == StepKind.LLM || step.kind() == StepKind.EMBEDDING) {
                inputTokens += step.tokens().inputTokens();
                outputTokens += step.tokens().outputTokens();
                cost += step.costUsd();
            }
            if (!step.isRoot()) {
                if (previous != null && previous.kind() == step.kind() && previous.name().equals(step.name())) {
                    retries++;
                }
                previous = step;
            }
            if (path.size() < MAX_PATH) {
                path.add(step.name());
            }
            for (Evaluation evaluation : step.evaluations()) {
                if (step.endEpochNanos() >= judgeAt && (evaluation.hasScore() || !evaluation.label().isEmpty())) {
                    judge = evaluation;
                    judgeAt = step.endEpochNanos();
                }
            }
        }
        RunStatus status = root == null ? RunStatus.UNFINISHED : root.failed() ? RunStatus.ERROR : RunStatus.OK;
        return new Run(first.tenant(), first.runId(),
                root != null && !root.service().isEmpty() ? root.service() : first.service(),
                pick(root, steps, Step::agentName), pick(root, steps, Step::agentVersion), List.copyOf(models),
                root == null ? "" : root.stepId(), root == null ? "" : root.name(), start, Math.max(start, end), status,
                steps.size() + overflow.steps(), llm, tools, errors, retries, handoffs, inputTokens, outputTokens, cost,
                path, pick(root, steps, Step::subjectId), pick(root, steps, Step::claimedOutcome),
                pick(root, steps, Step::conversationId), judge == null ? Double.NaN : judge.score(),
                judge == null ? "" : judge.label(), lateSteps, revision, closedAtMillis);
    }

    /** A run-wide value of steps in any order, as {@link #summarize} picks it (see the class comment). */
    static String pick(List<Step> steps, Function<Step, String> field) {
        List<Step> sorted = steps.stream().sorted(RunTrace.START_ORDER).toList();
        return pick(rootOf(sorted), sorted, field);
    }

    /**
     * A step not among {@code runSteps} as a sample, with the agent, version and subject that the
     * run's steps so far and this step name.
     */
    static StepSample sample(Step step, List<Step> runSteps) {
        List<Step> sorted = Stream.concat(runSteps.stream(), Stream.of(step))
                .sorted(RunTrace.START_ORDER).toList();
        Step root = rootOf(sorted);
        return StepSample.of(step, pick(root, sorted, Step::agentName), pick(root, sorted, Step::agentVersion),
                pick(root, sorted, Step::subjectId));
    }

    private static Step rootOf(List<Step> steps) {
        return steps.stream().filter(Step::isRoot).findFirst().orElse(null);
    }

    private static String pick(Step root, List<Step> steps, Function<Step, String> field) {
        if (root != null && !field.apply(root).isEmpty()) {
            return field.apply(root);
        }
        for (Step step : steps) {
            String value = field.apply(step);
            if (!value.isEmpty()) {
                return value;
            }
        }
        return "";
    }
}
