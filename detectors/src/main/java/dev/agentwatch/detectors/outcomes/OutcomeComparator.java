package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Reconciliation.Claim;
import dev.agentwatch.model.Reconciliation.JudgeAgreement;
import dev.agentwatch.model.Reconciliation.JudgeCall;
import dev.agentwatch.model.Reconciliation.Mismatch;
import dev.agentwatch.model.Reconciliation.Truth;
import dev.agentwatch.model.Run;
import java.util.Objects;
import java.util.Set;

/**
 * Compares what a run claimed with what its outcome says. Pure and thread-safe.
 *
 * <h2>Claim</h2>
 * See {@link OutcomeReconciliationConfig}: a vocabulary claim decides; otherwise the run's status
 * does ({@code OK} is success, {@code ERROR} failure, {@code UNFINISHED} neither).
 *
 * <h2>Truth</h2>
 * The outcome's verdict when it gives one ({@code correct}, {@code incorrect}, {@code partial}).
 * When it gives only an actual value: a value in the success vocabulary means the work was right,
 * one in the failure vocabulary that it was wrong; any other value (a decision such as
 * {@code denied}) is compared with the run's claim: equal is right, different is wrong, and
 * without a claim the truth is undetermined.
 *
 * <h2>Judge</h2>
 * A judge score at or above the approval threshold approves the run, below it rejects; without a
 * score, a judge label such as {@code pass}/{@code fail} decides; otherwise there is no judge.
 *
 * <h2>Mismatch</h2>
 * Claimed success and the truth is wrong (incorrect or partial): silent failure. Claimed failure
 * and the truth is correct: false alarm. Judge approved and wrong: false approval; judge rejected
 * and correct: false rejection.
 */
public final class OutcomeComparator {
    private static final Set<String> APPROVING_LABELS = Set.of("pass", "passed", "approve", "approved", "correct",
            "yes", "true", "good", "accept", "accepted", "success");
    private static final Set<String> REJECTING_LABELS = Set.of("fail", "failed", "reject", "rejected", "incorrect",
            "no", "false", "bad", "unacceptable", "failure");

    private final OutcomeReconciliationConfig config;

    public OutcomeComparator(OutcomeReconciliationConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The comparison of one run with one outcome. */
    public record Comparison(Claim claim, Truth truth, JudgeCall judgeCall, Mismatch mismatch,
                             JudgeAgreement judgeAgreement) {
        public Comparison {
            Objects.requireNonNull(claim, "claim");
            Objects.requireNonNull(truth, "truth");
            Objects.requireNonNull(judgeCall, "judgeCall");
            Objects.requireNonNull(mismatch, "mismatch");
            Objects.requireNonNull(judgeAgreement, "judgeAgreement");
        }
    }

    public Comparison compare(Run run, Outcome outcome) {
        Claim claim = claimOf(run);
        Truth truth = truthOf(run, outcome);
        JudgeCall judge = judgeCallOf(run);
        return new Comparison(claim, truth, judge, mismatch(claim, truth), judgeAgreement(judge, truth));
    }

    public Claim claimOf(Run run) {
        String claimed = OutcomeReconciliationConfig.normalize(run.claimedOutcome());
        if (config.successVocabulary().contains(claimed)) {
            return Claim.SUCCESS;
        }
        if (config.failureVocabulary().contains(claimed)) {
            return Claim.FAILURE;
        }
        if (config.neutralVocabulary().contains(claimed)) {
            return Claim.NONE;
        }
        return switch (run.status()) {
            case OK -> Claim.SUCCESS;
            case ERROR -> Claim.FAILURE;
            case UNFINISHED -> Claim.NONE;
        };
    }

    public Truth truthOf(Run run, Outcome outcome) {
        return switch (outcome.verdict()) {
            case CORRECT -> Truth.CORRECT;
            case INCORRECT -> Truth.INCORRECT;
            case PARTIAL -> Truth.PARTIAL;
            case UNSPECIFIED -> truthOfActualValue(run, OutcomeReconciliationConfig.normalize(outcome.actualValue()));
        };
    }

    private Truth truthOfActualValue(Run run, String actual) {
        if (config.successVocabulary().contains(actual)) {
            return Truth.CORRECT;
        }
        if (config.failureVocabulary().contains(actual)) {
            return Truth.INCORRECT;
        }
        String claimed = OutcomeReconciliationConfig.normalize(run.claimedOutcome());
        if (actual.isEmpty() || claimed.isEmpty()) {
            return Truth.UNDETERMINED;
        }
        return actual.equals(claimed) ? Truth.CORRECT : Truth.INCORRECT;
    }

    public JudgeCall judgeCallOf(Run run) {
        if (run.hasJudgeScore()) {
            return run.judgeScore() >= config.judgeApprovalThreshold() ? JudgeCall.APPROVED : JudgeCall.REJECTED;
        }
        String label = OutcomeReconciliationConfig.normalize(run.judgeLabel());
        if (APPROVING_LABELS.contains(label)) {
            return JudgeCall.APPROVED;
        }
        if (REJECTING_LABELS.contains(label)) {
            return JudgeCall.REJECTED;
        }
        return JudgeCall.NONE;
    }

    static Mismatch mismatch(Claim claim, Truth truth) {
        if (!truth.determined() || claim == Claim.NONE) {
            return Mismatch.UNDETERMINED;
        }
        if (claim == Claim.SUCCESS && truth.wrong()) {
            return Mismatch.SILENT_FAILURE;
        }
        if (claim == Claim.FAILURE && truth == Truth.CORRECT) {
            return Mismatch.FALSE_ALARM;
        }
        return Mismatch.NONE;
    }

    static JudgeAgreement judgeAgreement(JudgeCall judge, Truth truth) {
        if (judge == JudgeCall.NONE) {
            return JudgeAgreement.NO_JUDGE;
        }
        if (!truth.determined()) {
            return JudgeAgreement.UNDETERMINED;
        }
        if (judge == JudgeCall.APPROVED && truth.wrong()) {
            return JudgeAgreement.FALSE_APPROVAL;
        }
        if (judge == JudgeCall.REJECTED && truth == Truth.CORRECT) {
            return JudgeAgreement.FALSE_REJECTION;
        }
        return JudgeAgreement.AGREED;
    }
}
