package dev.agentwatch.model;

import java.util.Map;
import java.util.Objects;

/**
 * Ground truth about a run that arrives later: a human review, a reversal, a complaint, a
 * downstream system's record. Names the run directly, or the business subject it acted on.
 *
 * @param outcomeId            id given by the sender (or derived), for deduplication
 * @param tenant               tenant the outcome was accepted for (from the API key)
 * @param runId                trace id of the run, empty when only the subject is known
 * @param subjectId            business key, empty when the run id is given
 * @param verdict              verdict, {@link Verdict#UNSPECIFIED} when only {@code actualValue} is given
 * @param actualValue          what actually happened (e.g. "denied"), empty when not given
 * @param source               who says so: {@code human_review}, {@code customer},
 *                             {@code downstream_system}, {@code judge}, ...
 * @param observedEpochMillis  when the truth was observed or decided
 * @param receivedEpochMillis  when agentwatch received it
 * @param reason               free-text reason, may be empty
 * @param attributes           free attributes
 */
public record Outcome(
        String outcomeId,
        String tenant,
        String runId,
        String subjectId,
        Verdict verdict,
        String actualValue,
        String source,
        long observedEpochMillis,
        long receivedEpochMillis,
        String reason,
        Map<String, String> attributes) {

    public Outcome {
        Objects.requireNonNull(outcomeId, "outcomeId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(actualValue, "actualValue");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
        attributes = Map.copyOf(attributes);
        if (runId.isEmpty() && subjectId.isEmpty()) {
            throw new IllegalArgumentException("an outcome names a run id or a subject id");
        }
        if (verdict == Verdict.UNSPECIFIED && actualValue.isEmpty()) {
            throw new IllegalArgumentException("an outcome has a verdict or an actual value");
        }
        if (source.isEmpty()) {
            throw new IllegalArgumentException("an outcome names its source");
        }
    }

    /** Kafka key: outcomes for one run (or subject) share a partition. */
    public String key() {
        return runId.isEmpty() ? "subject:" + subjectId : runId;
    }
}
