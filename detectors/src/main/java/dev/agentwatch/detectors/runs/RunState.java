package dev.agentwatch.detectors.runs;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the run assembler keeps per run in its state store: the steps so far (up to the caps),
 * totals of the steps beyond the caps, and whether and when the run was closed. Immutable.
 *
 * <p>Two caps: a number of steps (configured), and {@link #MAX_STEP_BYTES} of encoded steps,
 * because Kafka refuses a state record over 1 MiB and a refused changelog record stops an
 * exactly-once pipeline for good (a looping agent makes exactly such runs). The first root is
 * always kept: the run's status, agent and claim come from it, and it usually arrives last. (Any
 * parentless span is a root; more of them past the caps are only counted, as other steps are.)
 *
 * @param steps               steps in arrival order, within the caps
 * @param stepBytes           encoded size of those steps (their share of the state record)
 * @param overflow            totals of steps that arrived after the cap was reached
 * @param lastActivityMillis  the partition's event clock when the latest step of this run arrived
 * @param closed              whether the run was emitted
 * @param revision            revision of the last emission
 * @param closedAtMillis      event time of the first close, 0 while open
 * @param lateSteps           steps that arrived after the first close
 * @param emitted             findings emitted for this run and not resolved since, by fingerprint: as
 *                            emitted for disprovable detectors (a resolution carries the same labels and
 *                            replaces the same row), else empty (other detectors, past the caps, or
 *                            from a version 3 state)
 */
record RunState(List<Step> steps, int stepBytes, Overflow overflow, long lastActivityMillis, boolean closed, int revision,
                long closedAtMillis, int lateSteps, Map<String, Optional<Finding>> emitted) {

    /**
     * Totals of the steps not kept, and their ids up to {@link #MAX_STEP_IDS} (past that, a
     * re-delivered step is counted again).
     */
    record Overflow(int steps, int llmCalls, int toolCalls, int errors, int handoffs, long inputTokens, long outputTokens,
                    double costUsd, long startEpochNanos, long endEpochNanos, StepIdSet stepIds) {
        static final Overflow NONE = new Overflow(0, 0, 0, 0, 0, 0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE, StepIdSet.EMPTY);

        Overflow {
            Objects.requireNonNull(stepIds, "stepIds");
        }

        Overflow plus(Step step) {
            boolean billed = step.kind() == StepKind.LLM || step.kind() == StepKind.EMBEDDING;
            return new Overflow(steps + 1, llmCalls + (step.kind() == StepKind.LLM ? 1 : 0),
                    toolCalls + (step.kind() == StepKind.TOOL ? 1 : 0), errors + (step.failed() ? 1 : 0),
                    handoffs + (step.kind() == StepKind.HANDOFF ? 1 : 0),
                    inputTokens + (billed ? step.tokens().inputTokens() : 0),
                    outputTokens + (billed ? step.tokens().outputTokens() : 0), costUsd + (billed ? step.costUsd() : 0),
                    Math.min(startEpochNanos, step.startEpochNanos()), Math.max(endEpochNanos, step.endEpochNanos()),
                    stepIds.size() < MAX_STEP_IDS ? stepIds.plus(step.stepId()) : stepIds);
        }
    }

    /**
     * Encoded steps kept per run at most: half of what Kafka takes per record; the rest is for the
     * ids of the steps not kept, the fingerprints and the findings as emitted.
     */
    static final int MAX_STEP_BYTES = 512 * 1024;
    /** Ids of steps not kept, remembered per run at most: 8 bytes each, 128 KiB. */
    static final int MAX_STEP_IDS = 16 * 1024;
    /**
     * Findings of disprovable detectors kept as emitted per run at most, each at most
     * {@link #MAX_FINDING_BYTES} (JSON): at most 128 KiB. A looping run raises a finding per failed
     * step, and a state record over 1 MiB stops the pipeline; past these only the fingerprint is
     * kept, and the finding is never resolved.
     */
    static final int MAX_FINDINGS_AS_EMITTED = 32;
    /**
     * Findings emitted per run at most, all detectors and revisions together: the state keeps
     * each one's fingerprint (about 40 bytes), and a revision may emit findings a detector's
     * per-run cap held back before.
     */
    static final int MAX_FINDINGS_EMITTED = 1_000;
    static final int MAX_FINDING_BYTES = 4 * 1024;

    RunState {
        steps = List.copyOf(steps);
        Objects.requireNonNull(overflow, "overflow");
        // Ordered (emission order), so resolutions go out in a stable order.
        emitted = Collections.unmodifiableMap(new LinkedHashMap<>(emitted));
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a run state holds at least one step");
        }
    }

    /** A new run of one step, {@code firstBytes} long encoded. */
    static RunState open(Step first, int firstBytes, long eventMillis) {
        return new RunState(List.of(first), firstBytes, Overflow.NONE, eventMillis, false, 0, 0, 0, Map.of());
    }

    /**
     * This run with one more step ({@code stepBytes} long encoded): kept if within the caps or the
     * run's first root, else only counted in the totals (the assembler samples such a step on
     * arrival).
     */
    RunState with(Step step, int stepBytes, long eventMillis, int maxSteps) {
        long activity = Math.max(lastActivityMillis, eventMillis);
        boolean fits = steps.size() < maxSteps && (long) this.stepBytes + stepBytes <= MAX_STEP_BYTES;
        if (!fits && !(step.isRoot() && !hasRoot())) {
            return new RunState(steps, this.stepBytes, overflow.plus(step), activity, closed, revision, closedAtMillis,
                    lateSteps, emitted);
        }
        List<Step> more = new ArrayList<>(steps.size() + 1);
        more.addAll(steps);
        more.add(step);
        return new RunState(more, this.stepBytes + stepBytes, overflow, activity, closed, revision, closedAtMillis,
                lateSteps, emitted);
    }

    /**
     * The cap that keeps this run's state from keeping {@code finding} as emitted, given the
     * findings it keeps already and {@code keptMeanwhile} more: {@code max_findings} or
     * {@code max_finding_bytes}; empty if it fits.
     */
    Optional<String> capMissedBy(Finding finding, int keptMeanwhile) {
        long kept = emitted.values().stream().filter(Optional::isPresent).count() + keptMeanwhile;
        if (kept >= MAX_FINDINGS_AS_EMITTED) {
            return Optional.of("max_findings");
        }
        return RunStateSerde.findingBytes(finding) > MAX_FINDING_BYTES ? Optional.of("max_finding_bytes") : Optional.empty();
    }

    /** Whether a step with this id arrived before, kept or not (as far as ids not kept are remembered). */
    boolean hasStep(String stepId) {
        for (Step step : steps) {
            if (step.stepId().equals(stepId)) {
                return true;
            }
        }
        return overflow.stepIds().contains(stepId);
    }

    boolean hasRoot() {
        for (Step step : steps) {
            if (step.isRoot()) {
                return true;
            }
        }
        return false;
    }

    /** The run's agent as its summary names it, or empty. */
    String agentName() {
        return RunSummarizer.pick(steps, Step::agentName);
    }

    Step first() {
        return steps.getFirst();
    }

    RunState closedAt(long closedMillis, Map<String, Optional<Finding>> emittedNow) {
        return new RunState(steps, stepBytes, overflow, lastActivityMillis, true, 0, closedMillis, lateSteps,
                merge(emittedNow, Set.of()));
    }

    /** The next revision: findings emitted now added, those resolved now forgotten (they may fire again). */
    RunState revised(Map<String, Optional<Finding>> emittedNow, Set<String> resolvedNow) {
        return new RunState(steps, stepBytes, overflow, lastActivityMillis, true, revision + 1, closedAtMillis, lateSteps + 1,
                merge(emittedNow, resolvedNow));
    }

    private Map<String, Optional<Finding>> merge(Map<String, Optional<Finding>> emittedNow, Set<String> resolvedNow) {
        if (emittedNow.isEmpty() && resolvedNow.isEmpty()) {
            return emitted;
        }
        Map<String, Optional<Finding>> all = new LinkedHashMap<>(emitted);
        all.keySet().removeAll(resolvedNow);
        all.putAll(emittedNow);
        return all;
    }
}
