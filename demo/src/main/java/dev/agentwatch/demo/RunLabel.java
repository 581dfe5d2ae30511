package dev.agentwatch.demo;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The fleet's record of one emitted run: what was injected (or nothing), kept so a report can
 * join it with what the detectors found. One per run, clean runs included: a finding on a clean
 * run is a false positive.
 *
 * @param fleetId        the fleet instance that emitted the run
 * @param tenant         tenant the fleet's API key maps to
 * @param index          the run's position in the fleet sequence
 * @param runId          trace id
 * @param subjectId      business key
 * @param agentName      agent
 * @param agentVersion   agent version
 * @param decisionModel  response model of the deciding call
 * @param simStart       simulated start
 * @param simEnd         simulated end (last step's end for unfinished runs)
 * @param finished       whether the root span ended
 * @param emittedAtMillis wall-clock time the run was handed to the exporter
 * @param failure        injected failure, empty for a clean run
 * @param detail         what was injected, for people
 * @param claimedOutcome what the run claimed
 * @param judgeScore     the judge's score, NaN when none
 * @param truthVerdict   verdict the delayed outcome will carry, empty when none will come
 */
public record RunLabel(String fleetId, String tenant, long index, String runId, String subjectId, String agentName,
                       String agentVersion, String decisionModel, Instant simStart, Instant simEnd, boolean finished,
                       long emittedAtMillis, Optional<FailureKind> failure, String detail, String claimedOutcome,
                       double judgeScore, String truthVerdict) {
    public RunLabel {
        Objects.requireNonNull(fleetId, "fleetId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(runId, "runId");
        if (runId.isEmpty()) {
            throw new IllegalArgumentException("a label needs the run id");
        }
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(decisionModel, "decisionModel");
        Objects.requireNonNull(simStart, "simStart");
        Objects.requireNonNull(simEnd, "simEnd");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(claimedOutcome, "claimedOutcome");
        Objects.requireNonNull(truthVerdict, "truthVerdict");
    }

    static RunLabel of(String fleetId, String tenant, RunPlan plan, String runId, long emittedAtMillis) {
        return new RunLabel(fleetId, tenant, plan.index(), runId, plan.subjectId(), plan.agent().agentName(),
                plan.agentVersion(), plan.decisionModel(), plan.start(), plan.end(), plan.finished(), emittedAtMillis,
                plan.failure(), plan.failureDetail(), plan.claimedOutcome(),
                plan.judge().map(JudgeVerdict::score).orElse(Double.NaN),
                plan.truth().map(GroundTruth::verdict).orElse(""));
    }

    /** The failure's label, or {@code none}. */
    public String failureLabel() {
        return failure.map(FailureKind::label).orElse("none");
    }
}
