package dev.agentwatch.detectors.outcomes;

import static dev.agentwatch.detectors.outcomes.Fixtures.T0;
import static dev.agentwatch.detectors.outcomes.Fixtures.finding;
import static dev.agentwatch.detectors.outcomes.Fixtures.outcome;
import static dev.agentwatch.detectors.outcomes.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentwatch.detectors.outcomes.RunLedger.MatchedOutcome;
import dev.agentwatch.detectors.outcomes.RunLedger.RelatedFinding;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Reconciliation;
import dev.agentwatch.model.Reconciliation.MatchedBy;
import dev.agentwatch.model.Reconciliation.Mismatch;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunStatus;
import dev.agentwatch.model.Severity;
import dev.agentwatch.model.Verdict;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunReconcilerTest {
    private static final long NOW = T0.plus(Duration.ofDays(4)).toEpochMilli();
    private final RunReconciler reconciler = new RunReconciler(new OutcomeComparator(OutcomeReconciliationConfig.defaults()));

    private static RunLedger ledger(Run run, Outcome... outcomes) {
        RunLedger ledger = RunLedger.empty().withRun(run).orElseThrow();
        for (Outcome outcome : outcomes) {
            ledger = ledger.withOutcome(new MatchedOutcome(outcome, MatchedBy.RUN_ID)).orElseThrow();
        }
        return ledger;
    }

    private static Outcome reversal(String source, Duration afterEnd) {
        return outcome("o-" + source, "acme", "r1", "", Verdict.INCORRECT, "", source, T0.plus(afterEnd),
                T0.plus(afterEnd).plusSeconds(1));
    }

    @Test
    void aSilentFailureListsTheRunsOtherFindingsMostSevereFirstAndSaysWhereToLookFirst() {
        RunLedger ledger = ledger(run("r1").claim("approved").judge(0.9).errors(1).build(),
                reversal("human_review", Duration.ofDays(3)))
                .withRelatedFinding(RelatedFinding.of(finding("loop", Severity.WARNING, "r1", "step-9"))).orElseThrow()
                .withRelatedFinding(RelatedFinding.of(finding("swallowed_error", Severity.ERROR, "r1", "step-4")))
                .orElseThrow();

        RunReconciler.Result result = reconciler.reconcile(ledger, 1, NOW);

        Finding silent = result.findings().stream().filter(f -> f.detector().equals("silent_failure")).findFirst()
                .orElseThrow();
        assertThat(silent.severity()).isEqualTo(Severity.ERROR);
        assertThat(silent.runId()).isEqualTo("r1");
        assertThat(silent.evidence()).containsEntry("look_first", "swallowed_error@step-4")
                .containsEntry("related_findings", "2")
                .containsEntry("claimed_outcome", "approved")
                .containsEntry("truth", "incorrect")
                .containsEntry("outcome_source", "human_review")
                .containsEntry("outcome_delay", "PT72H");
        assertThat(silent.evidence().get("related")).startsWith("swallowed_error@step-4 (error)").contains("loop@step-9");
        assertThat(silent.summary()).contains("claimed 'approved'").contains("look first at swallowed_error on step step-4");
        assertThat(silent.detectedEpochMillis()).isEqualTo(NOW);
        assertThat(silent.eventEpochNanos()).isEqualTo(T0.toEpochMilli() * 1_000_000);
        assertThat(result.findings()).extracting(Finding::detector).containsExactlyInAnyOrder("silent_failure",
                "judge_false_approval");
    }

    @Test
    void withoutOtherFindingsAttributionPointsAtTheRunsErrorSteps() {
        RunReconciler.Result result = reconciler.reconcile(
                ledger(run("r1").errors(2).build(), reversal("human_review", Duration.ofDays(1))), 1, NOW);

        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.evidence()).containsEntry("related_findings", "0");
            assertThat(f.evidence().get("look_first")).contains("2 step(s) with status ERROR");
        });
    }

    @Test
    void aPartlyRightOutcomeIsAWarningNotAnError() {
        Outcome partial = outcome("o1", "acme", "r1", "", Verdict.PARTIAL, "", "customer", T0.plusSeconds(60),
                T0.plusSeconds(61));

        assertThat(reconciler.reconcile(ledger(run("r1").claim("resolved").build(), partial), 1, NOW).findings())
                .singleElement().extracting(Finding::severity).isEqualTo(Severity.WARNING);
    }

    @Test
    void aFalseAlarmAndAFalseRejectionAreInformational() {
        Outcome right = outcome("o1", "acme", "r1", "", Verdict.CORRECT, "", "human_review", T0.plusSeconds(60),
                T0.plusSeconds(61));

        List<Finding> findings = reconciler.reconcile(ledger(run("r1").status(RunStatus.ERROR).judge(0.2).build(), right),
                1, NOW).findings();

        assertThat(findings).extracting(Finding::detector).containsExactlyInAnyOrder("false_alarm", "judge_false_rejection");
        assertThat(findings).extracting(Finding::severity).containsOnly(Severity.INFO);
    }

    @Test
    void writesOneRowPerSourceAndJudgesOnTheMostRecentOutcome() {
        Outcome reviewSaysRight = outcome("o1", "acme", "r1", "", Verdict.CORRECT, "", "human_review",
                T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)));
        Outcome customerSaysWrong = reversal("customer", Duration.ofDays(6));

        RunReconciler.Result result = reconciler.reconcile(
                ledger(run("r1").claim("approved").build(), reviewSaysRight, customerSaysWrong), 7, NOW);

        assertThat(result.rows()).hasSize(2).allSatisfy(row -> assertThat(row.version()).isEqualTo(7));
        assertThat(result.rows()).filteredOn(Reconciliation::effective).singleElement().satisfies(row -> {
            assertThat(row.source()).isEqualTo("customer");
            assertThat(row.mismatch()).isEqualTo(Mismatch.SILENT_FAILURE);
            assertThat(row.reconciliationId()).isEqualTo("r1/customer");
        });
        assertThat(result.contribution().silentFailure()).isTrue();
        assertThat(result.contribution().hourStartMillis()).isEqualTo(T0.toEpochMilli());
    }

    @Test
    void anUndeterminedTruthContributesNothingToTheRates() {
        Outcome unexplained = outcome("o1", "acme", "r1", "", Verdict.UNSPECIFIED, "denied", "crm", T0.plusSeconds(60),
                T0.plusSeconds(61));

        RunReconciler.Result result = reconciler.reconcile(ledger(run("r1").build(), unexplained), 1, NOW);

        assertThat(result.contribution()).isNull();
        assertThat(result.findings()).isEmpty();
        assertThat(result.rows()).singleElement().extracting(Reconciliation::mismatch).isEqualTo(Mismatch.UNDETERMINED);
    }

    @Test
    void unmatchedOutcomesBecomeVisibleRows() {
        Outcome orphan = outcome("o9", "acme", "", "claim-404", Verdict.INCORRECT, "", "customer", T0, T0);

        assertThat(RunReconciler.unmatched(List.of(orphan), 0, NOW)).singleElement().satisfies(row -> {
            assertThat(row.mismatch()).isEqualTo(Mismatch.UNMATCHED);
            assertThat(row.matchedBy()).isEqualTo(MatchedBy.NONE);
            assertThat(row.reconciliationId()).isEqualTo("unmatched/o9");
            assertThat(row.subjectId()).isEqualTo("claim-404");
        });
    }

    @Test
    void anOverdueFindingNamesTheWindow() {
        Finding overdue = RunReconciler.overdue(run("r1").build(), Duration.ofHours(72), NOW);

        assertThat(overdue.detector()).isEqualTo("outcome_overdue");
        assertThat(overdue.severity()).isEqualTo(Severity.WARNING);
        assertThat(overdue.summary()).contains("within 72h");
        assertThat(overdue.evidence()).containsEntry("expected_within", "PT72H");
    }

    @Test
    void refusesALedgerWithoutItsRun() {
        RunLedger noRun = RunLedger.empty().withOutcome(new MatchedOutcome(reversal("customer", Duration.ZERO),
                MatchedBy.RUN_ID)).orElseThrow();

        assertThatThrownBy(() -> reconciler.reconcile(noRun, 1, NOW)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fingerprintsAreStablePerDetectorTenantAndRun() {
        RunLedger ledger = ledger(run("r1").claim("approved").build(), reversal("human_review", Duration.ofDays(1)));

        String first = reconciler.reconcile(ledger, 1, NOW).findings().getFirst().fingerprint();
        String again = reconciler.reconcile(ledger, 2, NOW + 5000).findings().getFirst().fingerprint();

        assertThat(first).isEqualTo(again).hasSize(32);
        assertThat(Fingerprints.of("silent_failure", "acme", "r2")).isNotEqualTo(first);
        assertThat(Fingerprints.of("ab", "c")).isNotEqualTo(Fingerprints.of("a", "bc"));
    }
}
