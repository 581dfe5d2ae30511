package dev.agentwatch.detectors.outcomes;

import static dev.agentwatch.detectors.outcomes.Fixtures.T0;
import static dev.agentwatch.detectors.outcomes.Fixtures.outcome;
import static dev.agentwatch.detectors.outcomes.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Reconciliation.Claim;
import dev.agentwatch.model.Reconciliation.JudgeAgreement;
import dev.agentwatch.model.Reconciliation.JudgeCall;
import dev.agentwatch.model.Reconciliation.Mismatch;
import dev.agentwatch.model.Reconciliation.Truth;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunStatus;
import dev.agentwatch.model.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutcomeComparatorTest {
    private final OutcomeComparator comparator = new OutcomeComparator(OutcomeReconciliationConfig.defaults());

    @ParameterizedTest(name = "claim ''{0}'' with status {1} is {2}")
    @CsvSource({
            "approved, OK, SUCCESS",
            "Resolved, ERROR, SUCCESS",
            "'  Completed ', UNFINISHED, SUCCESS",
            "failed, OK, FAILURE",
            "timed-out, OK, FAILURE",
            "escalated, OK, NONE",
            "handed off, ERROR, NONE",
            "'', OK, SUCCESS",
            "'', ERROR, FAILURE",
            "'', UNFINISHED, NONE",
            "refund_issued, OK, SUCCESS",
            "denied, OK, SUCCESS",
            "denied, ERROR, FAILURE",
            "denied, UNFINISHED, NONE"})
    void readsTheClaimThroughTheVocabulariesThenTheStatus(String claimed, RunStatus status, Claim expected) {
        assertThat(comparator.claimOf(run("r1").claim(claimed).status(status).build())).isEqualTo(expected);
    }

    @ParameterizedTest(name = "verdict {0} is {1}")
    @CsvSource({"CORRECT, CORRECT", "INCORRECT, INCORRECT", "PARTIAL, PARTIAL"})
    void takesTheVerdictWhenTheOutcomeGivesOne(Verdict verdict, Truth expected) {
        Outcome outcome = outcome("o1", "acme", "r1", "", verdict, "whatever", "human_review", T0, T0);

        assertThat(comparator.truthOf(run("r1").claim("approved").build(), outcome)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "claim ''{0}'' against actual ''{1}'' is {2}")
    @CsvSource({
            "approved, approved, CORRECT",
            "approved, denied, INCORRECT",
            "denied, Denied, CORRECT",
            "resolved, reopened, INCORRECT",
            "failed, failed, INCORRECT",
            "escalated, resolved, CORRECT",
            "'', resolved, CORRECT",
            "'', failed, INCORRECT",
            "'', denied, UNDETERMINED"})
    void comparesAnActualValueWithTheClaimWhenNoVerdictIsGiven(String claimed, String actual, Truth expected) {
        Outcome outcome = outcome("o1", "acme", "r1", "", Verdict.UNSPECIFIED, actual, "downstream_system", T0, T0);

        assertThat(comparator.truthOf(run("r1").claim(claimed).build(), outcome)).isEqualTo(expected);
    }

    @Test
    void aJudgeScoreAtOrAboveTheThresholdApproves() {
        assertThat(comparator.judgeCallOf(run("r1").judge(0.5).build())).isEqualTo(JudgeCall.APPROVED);
        assertThat(comparator.judgeCallOf(run("r1").judge(0.49).build())).isEqualTo(JudgeCall.REJECTED);
        assertThat(comparator.judgeCallOf(run("r1").build())).isEqualTo(JudgeCall.NONE);
    }

    @Test
    void aJudgeLabelDecidesWhenThereIsNoScore() {
        assertThat(comparator.judgeCallOf(run("r1").judgeLabel("PASS").build())).isEqualTo(JudgeCall.APPROVED);
        assertThat(comparator.judgeCallOf(run("r1").judgeLabel("fail").build())).isEqualTo(JudgeCall.REJECTED);
        assertThat(comparator.judgeCallOf(run("r1").judgeLabel("hallucinated").build())).isEqualTo(JudgeCall.NONE);
    }

    @Test
    void aRunThatClaimedSuccessAndWasWrongIsASilentFailureAndAFalseApprovalWhenTheJudgeApproved() {
        Run run = run("r1").claim("approved").judge(0.92).build();
        Outcome reversed = outcome("o1", "acme", "r1", "", Verdict.INCORRECT, "", "human_review", T0, T0);

        OutcomeComparator.Comparison comparison = comparator.compare(run, reversed);

        assertThat(comparison.mismatch()).isEqualTo(Mismatch.SILENT_FAILURE);
        assertThat(comparison.judgeAgreement()).isEqualTo(JudgeAgreement.FALSE_APPROVAL);
    }

    @Test
    void aPartlyRightOutcomeOfAClaimedSuccessIsASilentFailureToo() {
        Outcome partial = outcome("o1", "acme", "r1", "", Verdict.PARTIAL, "", "customer", T0, T0);

        assertThat(comparator.compare(run("r1").claim("resolved").build(), partial).mismatch())
                .isEqualTo(Mismatch.SILENT_FAILURE);
    }

    @Test
    void aRunThatReportedFailureButWasRightIsAFalseAlarmAndAFalseRejectionWhenTheJudgeRejected() {
        Run run = run("r1").status(RunStatus.ERROR).judge(0.1).build();
        Outcome right = outcome("o1", "acme", "r1", "", Verdict.CORRECT, "", "human_review", T0, T0);

        OutcomeComparator.Comparison comparison = comparator.compare(run, right);

        assertThat(comparison.mismatch()).isEqualTo(Mismatch.FALSE_ALARM);
        assertThat(comparison.judgeAgreement()).isEqualTo(JudgeAgreement.FALSE_REJECTION);
    }

    @Test
    void agreementIsNoMismatch() {
        Outcome right = outcome("o1", "acme", "r1", "", Verdict.CORRECT, "", "human_review", T0, T0);
        Outcome wrong = outcome("o2", "acme", "r1", "", Verdict.INCORRECT, "", "human_review", T0, T0);

        assertThat(comparator.compare(run("r1").claim("approved").judge(0.9).build(), right))
                .extracting(OutcomeComparator.Comparison::mismatch, OutcomeComparator.Comparison::judgeAgreement)
                .containsExactly(Mismatch.NONE, JudgeAgreement.AGREED);
        assertThat(comparator.compare(run("r1").claim("failed").judge(0.2).build(), wrong))
                .extracting(OutcomeComparator.Comparison::mismatch, OutcomeComparator.Comparison::judgeAgreement)
                .containsExactly(Mismatch.NONE, JudgeAgreement.AGREED);
    }

    @Test
    void nothingIsComparedWhenTheRunClaimedNothingOrTheTruthIsUndetermined() {
        Outcome wrong = outcome("o1", "acme", "r1", "", Verdict.INCORRECT, "", "human_review", T0, T0);
        Outcome unexplained = outcome("o2", "acme", "r1", "", Verdict.UNSPECIFIED, "denied", "crm", T0, T0);

        assertThat(comparator.compare(run("r1").claim("escalated").build(), wrong).mismatch())
                .isEqualTo(Mismatch.UNDETERMINED);
        OutcomeComparator.Comparison undetermined = comparator.compare(run("r1").judge(0.8).build(), unexplained);
        assertThat(undetermined.mismatch()).isEqualTo(Mismatch.UNDETERMINED);
        assertThat(undetermined.judgeAgreement()).isEqualTo(JudgeAgreement.UNDETERMINED);
        assertThat(comparator.compare(run("r1").build(), wrong).judgeAgreement()).isEqualTo(JudgeAgreement.NO_JUDGE);
    }
}
