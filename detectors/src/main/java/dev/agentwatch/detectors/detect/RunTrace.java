package dev.agentwatch.detectors.detect;

import dev.agentwatch.model.Run;
import dev.agentwatch.model.Step;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A closed run and its steps in start order (the root first on a tie, then arrival order), the event of every
 * {@link RunDetector}.
 *
 * @param run   the run summary
 * @param steps the run's steps, at most the assembler's per-run cap
 */
public record RunTrace(Run run, List<Step> steps) {
    /** By start; on a tie the root first, then arrival order (the sort is stable). */
    public static final Comparator<Step> START_ORDER = Comparator.comparingLong(Step::startEpochNanos)
            .thenComparing(step -> !step.isRoot());

    public RunTrace {
        Objects.requireNonNull(run, "run");
        steps = steps.stream().sorted(START_ORDER).toList();
    }

    /** Steps other than the root, in start order. */
    public List<Step> workSteps() {
        return steps.stream().filter(step -> !step.isRoot()).toList();
    }
}
