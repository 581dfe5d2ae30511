package dev.agentwatch.model;

import java.util.Locale;
import java.util.Objects;

/**
 * One outcome joined back to the run it judges, with what the run claimed and what the outcome
 * says: the row behind silent-failure rates and judge-agreement rates. There is one current
 * reconciliation per run and outcome source (a later outcome from the same source supersedes an
 * earlier one); {@code effective} marks the one whose outcome is the run's latest word, which is
 * what rates count. An outcome that never met its run is kept as an {@link Mismatch#UNMATCHED}
 * reconciliation so that nothing disappears silently.
 *
 * @param reconciliationId         stable id of this row: {@code <run id>/<source>} for matched
 *                                 outcomes, {@code unmatched/<outcome id>} otherwise
 * @param tenant                   tenant
 * @param agentName                agent of the run, empty when unmatched
 * @param agentVersion             agent version of the run, empty when unmatched
 * @param runId                    run, empty when an unmatched outcome named only a subject
 * @param subjectId                business key (of the run, else of the outcome)
 * @param outcomeId                the outcome's id
 * @param source                   the outcome's source, e.g. {@code human_review}
 * @param matchedBy                how the outcome found its run
 * @param verdict                  the outcome's verdict as sent
 * @param actualValue              the outcome's actual value as sent, may be empty
 * @param truth                    what the outcome means for the run
 * @param claimedOutcome           the run's claimed outcome as sent, may be empty
 * @param claim                    what the run claimed, read through the configured vocabularies
 * @param runStatus                how the run ended, {@code null} when unmatched
 * @param judgeScore               the run's judge score, NaN when none
 * @param judgeCall                what the judge said
 * @param mismatch                 the run's claim against the truth
 * @param judgeAgreement           the judge's call against the truth
 * @param effective                true when this outcome is the run's latest word (rates count it)
 * @param runRevision              revision of the run that was compared, -1 when unmatched
 * @param runClosedAtEpochMillis   when the run ended (its latest step end), 0 when unmatched
 * @param outcomeObservedEpochMillis when the truth was decided
 * @param reconciledAtEpochMillis  when agentwatch reconciled (processing time)
 * @param version                  grows with every change of the run's reconciliation state;
 *                                 the table keeps the row with the highest version
 */
public record Reconciliation(
        String reconciliationId,
        String tenant,
        String agentName,
        String agentVersion,
        String runId,
        String subjectId,
        String outcomeId,
        String source,
        MatchedBy matchedBy,
        Verdict verdict,
        String actualValue,
        Truth truth,
        String claimedOutcome,
        Claim claim,
        RunStatus runStatus,
        double judgeScore,
        JudgeCall judgeCall,
        Mismatch mismatch,
        JudgeAgreement judgeAgreement,
        boolean effective,
        int runRevision,
        long runClosedAtEpochMillis,
        long outcomeObservedEpochMillis,
        long reconciledAtEpochMillis,
        long version) {

    public Reconciliation {
        Objects.requireNonNull(reconciliationId, "reconciliationId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(outcomeId, "outcomeId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(matchedBy, "matchedBy");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(actualValue, "actualValue");
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(claimedOutcome, "claimedOutcome");
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(judgeCall, "judgeCall");
        Objects.requireNonNull(mismatch, "mismatch");
        Objects.requireNonNull(judgeAgreement, "judgeAgreement");
        if (reconciliationId.isEmpty()) {
            throw new IllegalArgumentException("reconciliationId is required");
        }
        if ((matchedBy == MatchedBy.NONE) != (mismatch == Mismatch.UNMATCHED)) {
            throw new IllegalArgumentException("an unmatched reconciliation has matchedBy NONE and mismatch UNMATCHED");
        }
        if (matchedBy != MatchedBy.NONE && (runId.isEmpty() || runStatus == null)) {
            throw new IllegalArgumentException("a matched reconciliation names its run and the run's status");
        }
    }

    /** How an outcome found its run. */
    public enum MatchedBy {
        /** The outcome named the run id. */
        RUN_ID,
        /** The outcome named a subject; the run is the subject's latest that ended before the decision. */
        SUBJECT,
        /** No run was found within the retention. */
        NONE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the run claimed, read through the configured vocabularies. */
    public enum Claim {
        SUCCESS,
        FAILURE,
        /** Neither: no claim and an unfinished run, or a neutral claim such as {@code escalated}. */
        NONE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the outcome means for the run. */
    public enum Truth {
        CORRECT,
        INCORRECT,
        PARTIAL,
        /** The outcome gives only an actual value that nothing it can be compared with explains. */
        UNDETERMINED;

        /** Incorrect or only partly correct. */
        public boolean wrong() {
            return this == INCORRECT || this == PARTIAL;
        }

        public boolean determined() {
            return this != UNDETERMINED;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the run's LLM judge said. */
    public enum JudgeCall {
        APPROVED,
        REJECTED,
        NONE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The run's claim against the truth. */
    public enum Mismatch {
        /** Claimed success (or ended OK), and the truth says wrong. */
        SILENT_FAILURE,
        /** Reported failure, and the truth says right. */
        FALSE_ALARM,
        /** Claim and truth agree. */
        NONE,
        /** No claim, or no determined truth: nothing to compare. */
        UNDETERMINED,
        /** The outcome never met its run. */
        UNMATCHED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The judge's call against the truth. */
    public enum JudgeAgreement {
        AGREED,
        FALSE_APPROVAL,
        FALSE_REJECTION,
        /** The run has no judge verdict. */
        NO_JUDGE,
        /** The truth is undetermined (or the outcome unmatched). */
        UNDETERMINED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
