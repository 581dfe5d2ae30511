package dev.agentwatch.detectors.outcomes;

import static dev.agentwatch.detectors.outcomes.Fixtures.T0;
import static dev.agentwatch.detectors.outcomes.Fixtures.finding;
import static dev.agentwatch.detectors.outcomes.Fixtures.outcome;
import static dev.agentwatch.detectors.outcomes.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.detectors.outcomes.RunLedger.MatchedOutcome;
import dev.agentwatch.detectors.outcomes.RunLedger.RelatedFinding;
import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Reconciliation.MatchedBy;
import dev.agentwatch.model.Severity;
import dev.agentwatch.model.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunLedgerTest {
    private static MatchedOutcome byRun(Outcome outcome) {
        return new MatchedOutcome(outcome, MatchedBy.RUN_ID);
    }

    private static Outcome review(String id, Verdict verdict, Duration afterT0) {
        return outcome(id, "acme", "r1", "", verdict, "", "human_review", T0.plus(afterT0), T0.plus(afterT0));
    }

    @Test
    void holdsAnOutcomeThatArrivesBeforeItsRun() {
        RunLedger ledger = RunLedger.empty().withOutcome(byRun(review("o1", Verdict.INCORRECT, Duration.ofDays(1))))
                .orElseThrow();

        assertThat(ledger.hasRun()).isFalse();
        assertThat(ledger.reconcilable()).isFalse();
        assertThat(ledger.withRun(run("r1").build()).orElseThrow().reconcilable()).isTrue();
    }

    @Test
    void aDuplicateOutcomeChangesNothing() {
        Outcome outcome = review("o1", Verdict.INCORRECT, Duration.ofDays(1));
        RunLedger ledger = RunLedger.empty().withOutcome(byRun(outcome)).orElseThrow();

        assertThat(ledger.withOutcome(byRun(outcome))).isEmpty();
    }

    @Test
    void theSameOutcomeIdReceivedAgainLaterIsARedelivery() {
        Outcome outcome = review("o1", Verdict.INCORRECT, Duration.ofDays(1));
        Outcome retried = outcome("o1", "acme", "r1", "", Verdict.INCORRECT, "", "human_review",
                T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(2)));
        RunLedger ledger = RunLedger.empty().withOutcome(byRun(outcome)).orElseThrow();

        assertThat(ledger.withOutcome(byRun(retried))).isEmpty();
    }

    @Test
    void aLaterOutcomeSupersedesAnEarlierOneFromTheSameSourceAndAnOlderOneIsIgnored() {
        Outcome first = review("o1", Verdict.CORRECT, Duration.ofDays(1));
        Outcome overturned = review("o2", Verdict.INCORRECT, Duration.ofDays(5));
        RunLedger ledger = RunLedger.empty().withOutcome(byRun(first)).orElseThrow()
                .withOutcome(byRun(overturned)).orElseThrow();

        assertThat(ledger.outcomes()).extracting(m -> m.outcome().outcomeId()).containsExactly("o2");
        assertThat(ledger.withOutcome(byRun(first))).isEmpty();
    }

    @Test
    void outcomesFromDifferentSourcesCoexistAndTheMostRecentIsEffective() {
        Outcome review = review("o1", Verdict.CORRECT, Duration.ofDays(1));
        Outcome complaint = outcome("o2", "acme", "r1", "", Verdict.INCORRECT, "", "customer", T0.plus(Duration.ofDays(3)),
                T0.plus(Duration.ofDays(3)));
        RunLedger ledger = RunLedger.empty().withOutcome(byRun(complaint)).orElseThrow()
                .withOutcome(byRun(review)).orElseThrow();

        assertThat(ledger.outcomes()).hasSize(2);
        assertThat(ledger.effectiveOutcome()).map(m -> m.outcome().outcomeId()).contains("o2");
    }

    @Test
    void takesOnlyNewerRunRevisions() {
        RunLedger ledger = RunLedger.empty().withRun(run("r1").revision(1).build()).orElseThrow();

        assertThat(ledger.withRun(run("r1").revision(1).build())).isEmpty();
        assertThat(ledger.withRun(run("r1").revision(0).build())).isEmpty();
        assertThat(ledger.withRun(run("r1").revision(2).build())).map(l -> l.run().revision()).contains(2);
    }

    @Test
    void keepsRelatedFindingsMostSevereFirstOnceEachAndBounded() {
        RunLedger ledger = RunLedger.empty()
                .withRelatedFinding(RelatedFinding.of(finding("loop", Severity.WARNING, "r1", "s2"))).orElseThrow()
                .withRelatedFinding(RelatedFinding.of(finding("swallowed_error", Severity.ERROR, "r1", "s1"))).orElseThrow();

        assertThat(ledger.relatedFindings()).extracting(RelatedFinding::detector)
                .containsExactly("swallowed_error", "loop");
        assertThat(ledger.withRelatedFinding(RelatedFinding.of(finding("loop", Severity.WARNING, "r1", "s2")))).isEmpty();

        for (int i = 0; i < RunLedger.MAX_RELATED_FINDINGS + 5; i++) {
            ledger = ledger.withRelatedFinding(RelatedFinding.of(finding("latency_outlier", Severity.INFO, "r1", "x" + i)))
                    .orElseThrow();
        }
        assertThat(ledger.relatedFindings()).hasSize(RunLedger.MAX_RELATED_FINDINGS);
        assertThat(ledger.relatedFindings().getFirst().detector()).isEqualTo("swallowed_error");
    }

    @Test
    void remembersWhichDetectorsWereReported() {
        RunLedger ledger = RunLedger.empty().withReported("silent_failure").withReported("silent_failure");

        assertThat(ledger.reportedDetectors()).containsExactly("silent_failure");
        assertThat(ledger.reported("silent_failure")).isTrue();
        assertThat(ledger.reported("false_alarm")).isFalse();
    }
}
