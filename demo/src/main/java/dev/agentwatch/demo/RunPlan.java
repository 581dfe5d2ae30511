package dev.agentwatch.demo;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one simulated run will do, decided before it is emitted: a pure value, so a seed
 * reproduces the fleet and tests can inspect the shape without a collector.
 *
 * @param index          position in the fleet's run sequence
 * @param agent          which agent runs
 * @param agentVersion   deployed agent version
 * @param conversationId conversation id
 * @param subjectId      business key (claim, ticket, incident)
 * @param start          simulated start
 * @param end            simulated end; for an unfinished run, when its last step ended
 * @param finished       false when the root never ends
 * @param steps          steps in start order
 * @param claimedOutcome what the run claims, empty for unfinished runs
 * @param decisionModel  response model of the run's deciding call
 * @param judge          the judge's verdict, for finished runs
 * @param truth          the delayed truth, when some source will report it
 * @param failure        the injected failure, if any
 * @param failureDetail  what exactly was injected, for people reading the labels
 */
public record RunPlan(long index, AgentKind agent, String agentVersion, String conversationId, String subjectId,
                      Instant start, Instant end, boolean finished, List<PlannedStep> steps, String claimedOutcome,
                      String decisionModel, Optional<JudgeVerdict> judge, Optional<GroundTruth> truth,
                      Optional<FailureKind> failure, String failureDetail) {
    public RunPlan {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        steps = List.copyOf(steps);
        Objects.requireNonNull(claimedOutcome, "claimedOutcome");
        Objects.requireNonNull(decisionModel, "decisionModel");
        Objects.requireNonNull(judge, "judge");
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(failureDetail, "failureDetail");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("run ends before it starts");
        }
        if (!finished && (judge.isPresent() || truth.isPresent())) {
            throw new IllegalArgumentException("an unfinished run has no judge verdict and no outcome");
        }
    }

    /** The same run, with no outcome coming: for traffic whose truth the fleet will not post. */
    public RunPlan withoutTruth() {
        return new RunPlan(index, agent, agentVersion, conversationId, subjectId, start, end, finished, steps,
                claimedOutcome, decisionModel, judge, Optional.empty(), failure, failureDetail);
    }

    public long modelCalls() {
        return steps.stream().filter(s -> s instanceof PlannedStep.ModelCall).count();
    }

    /** Spans the run emits: its steps, plus the root when it ends. */
    public int spanCount() {
        return steps.size() + (finished ? 1 : 0);
    }
}
