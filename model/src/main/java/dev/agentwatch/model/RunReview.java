package dev.agentwatch.model;

import java.util.Locale;
import java.util.Objects;

/**
 * A run routed to a human: because its judge was unsure ({@link Reason#REVIEW}), or because it was
 * drawn into the audit sample of confident approvals ({@link Reason#AUDIT}) that keeps measuring
 * the judge's quality.
 *
 * @param tenant               tenant
 * @param agentName            agent
 * @param agentVersion         agent version
 * @param runId                run
 * @param subjectId            business key, empty when none
 * @param reason               why the run is routed
 * @param judgeScore           the judge's score
 * @param judgeConfidence      how far the score is from the approval threshold, 0 (on it) to 1
 * @param runRevision          revision of the run the decision was made on
 * @param decidedAtEpochMillis event time of the decision: when the run revision closed
 */
public record RunReview(
        String tenant,
        String agentName,
        String agentVersion,
        String runId,
        String subjectId,
        Reason reason,
        double judgeScore,
        double judgeConfidence,
        int runRevision,
        long decidedAtEpochMillis) {

    public RunReview {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(reason, "reason");
        if (runId.isEmpty()) {
            throw new IllegalArgumentException("runId is required");
        }
        if (!(judgeConfidence >= 0 && judgeConfidence <= 1)) {
            throw new IllegalArgumentException("judgeConfidence must be within [0, 1], got " + judgeConfidence);
        }
    }

    /** Why a run goes to a human. */
    public enum Reason {
        /** The judge's confidence is under the review threshold. */
        REVIEW,
        /** A confident approval drawn into the audit sample. */
        AUDIT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
