package dev.agentwatch.detectors.outcomes;

import static dev.agentwatch.detectors.outcomes.Fixtures.T0;
import static dev.agentwatch.detectors.outcomes.Fixtures.outcomeForSubject;
import static dev.agentwatch.detectors.outcomes.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.detectors.outcomes.SubjectLedger.SubjectRun;
import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SubjectLedgerTest {
    private static final Duration SETTLE = Duration.ofMinutes(2);
    private static final Duration RETENTION = Duration.ofDays(30);

    private static SubjectRun endedAt(String runId, Instant end) {
        return SubjectRun.of(run(runId).subject("claim-7").endedAt(end).build());
    }

    @Test
    void judgesTheLatestRunThatEndedBeforeTheDecision() {
        SubjectLedger ledger = SubjectLedger.empty()
                .withRun(endedAt("first", T0))
                .withRun(endedAt("second", T0.plus(Duration.ofHours(2))))
                .withRun(endedAt("after-decision", T0.plus(Duration.ofDays(2))));

        assertThat(ledger.runJudgedAt(T0.plus(Duration.ofDays(1)).toEpochMilli())).map(SubjectRun::runId)
                .contains("second");
        assertThat(ledger.runJudgedAt(T0.plus(Duration.ofHours(1)).toEpochMilli())).map(SubjectRun::runId)
                .contains("first");
        assertThat(ledger.runJudgedAt(T0.minusSeconds(1).toEpochMilli())).isEmpty();
    }

    @Test
    void aRunEndingExactlyAtTheDecisionIsJudged() {
        SubjectLedger ledger = SubjectLedger.empty().withRun(endedAt("r1", T0));

        assertThat(ledger.runJudgedAt(T0.toEpochMilli())).map(SubjectRun::runId).contains("r1");
    }

    @Test
    void anOutcomeArrivingBeforeAnyRunWaitsAndIsMatchedWhenTheRunComes() {
        Outcome outcome = outcomeForSubject("o1", "claim-7", Verdict.INCORRECT, T0.plus(Duration.ofDays(3)));
        long muchLater = T0.plus(Duration.ofDays(4)).toEpochMilli();

        SubjectLedger.Matching waiting = SubjectLedger.empty().withPending(outcome).matchSettled(muchLater, SETTLE, RETENTION);
        assertThat(waiting.matches()).isEmpty();
        assertThat(waiting.ledger().pending()).containsExactly(outcome);

        SubjectLedger.Matching matched = waiting.ledger().withRun(endedAt("r1", T0)).matchSettled(muchLater, SETTLE, RETENTION);
        assertThat(matched.matches()).containsExactly(new SubjectLedger.Match(outcome, "r1"));
        assertThat(matched.ledger().pending()).isEmpty();
        assertThat(matched.ledger().matchedRunOf("o1")).contains("r1");
    }

    @Test
    void anOutcomeIsNotMatchedBeforeEventTimeHasPassedItsDecisionBySettleDelay() {
        Instant decision = T0.plus(Duration.ofMinutes(10));
        SubjectLedger ledger = SubjectLedger.empty().withRun(endedAt("r1", T0))
                .withPending(outcomeForSubject("o1", "claim-7", Verdict.CORRECT, decision));

        assertThat(ledger.matchSettled(decision.plus(SETTLE).minusMillis(1).toEpochMilli(), SETTLE, RETENTION).matches()).isEmpty();
        assertThat(ledger.matchSettled(decision.plus(SETTLE).toEpochMilli(), SETTLE, RETENTION).matches()).hasSize(1);
    }

    @Test
    void aRunThatEndedJustBeforeTheDecisionButArrivedLateStillWinsWithinTheSettleDelay() {
        Instant decision = T0.plus(Duration.ofHours(1));
        SubjectLedger ledger = SubjectLedger.empty().withRun(endedAt("older", T0))
                .withPending(outcomeForSubject("o1", "claim-7", Verdict.INCORRECT, decision));
        assertThat(ledger.matchSettled(decision.toEpochMilli(), SETTLE, RETENTION).matches()).isEmpty();

        SubjectLedger withLateRun = ledger.withRun(endedAt("latest", decision.minusSeconds(5)));

        assertThat(withLateRun.matchSettled(decision.plus(SETTLE).toEpochMilli(), SETTLE, RETENTION).matches())
                .extracting(SubjectLedger.Match::runId).containsExactly("latest");
    }

    /** A busy subject's ledger never expires: an outcome no run can match stops waiting by itself. */
    @Test
    void anOutcomeNoRunMatchesIsGivenUpOnceItWaitedTheRetention() {
        Outcome beforeEveryRun = outcomeForSubject("o1", "claim-7", Verdict.INCORRECT, T0.minus(Duration.ofDays(1)));
        SubjectLedger ledger = SubjectLedger.empty().withRun(endedAt("r1", T0)).withPending(beforeEveryRun);
        long giveUp = SubjectLedger.givenUpAt(beforeEveryRun, RETENTION);

        SubjectLedger.Matching waiting = ledger.matchSettled(giveUp - 1, SETTLE, RETENTION);
        assertThat(waiting.givenUp()).isEmpty();
        assertThat(waiting.ledger().pending()).containsExactly(beforeEveryRun);

        SubjectLedger.Matching givenUp = waiting.ledger().matchSettled(giveUp, SETTLE, RETENTION);
        assertThat(givenUp.givenUp()).containsExactly(beforeEveryRun);
        assertThat(givenUp.matches()).isEmpty();
        assertThat(givenUp.ledger().pending()).isEmpty();
    }

    @Test
    void pastTheCapTheOldestWaitingOutcomeIsGivenUp() {
        SubjectLedger ledger = SubjectLedger.empty();
        for (int i = 0; i <= SubjectLedger.MAX_PENDING; i++) {
            ledger = ledger.withPending(outcomeForSubject("o" + i, "claim-7", Verdict.INCORRECT, T0.plusSeconds(i)));
        }

        SubjectLedger.Matching matching = ledger.matchSettled(T0.toEpochMilli(), SETTLE, RETENTION);

        assertThat(matching.givenUp()).extracting(Outcome::outcomeId).containsExactly("o0");
        assertThat(matching.ledger().pending()).hasSize(SubjectLedger.MAX_PENDING);
        assertThat(matching.ledger().matchedRunOf("o0")).as("known, so a re-delivery is not queued again")
                .contains(SubjectLedger.GIVEN_UP);
    }

    @Test
    void aQueuedOutcomeQueuedAgainIsKeptOnce() {
        Outcome outcome = outcomeForSubject("o1", "claim-7", Verdict.INCORRECT, T0);

        assertThat(SubjectLedger.empty().withPending(outcome).withPending(outcome).pending()).hasSize(1);
    }

    @Test
    void keepsOnlyTheLatestRunsOfABusySubject() {
        SubjectLedger ledger = SubjectLedger.empty();
        for (int i = 0; i < SubjectLedger.MAX_RUNS + 10; i++) {
            ledger = ledger.withRun(endedAt("r" + i, T0.plusSeconds(i)));
        }

        assertThat(ledger.runs()).hasSize(SubjectLedger.MAX_RUNS);
        assertThat(ledger.runs().getLast().runId()).isEqualTo("r" + (SubjectLedger.MAX_RUNS + 9));
        assertThat(ledger.runs()).extracting(SubjectRun::runId).doesNotContain("r0");
    }

    @Test
    void aRevisedRunReplacesItsEarlierEntry() {
        SubjectLedger ledger = SubjectLedger.empty().withRun(endedAt("r1", T0)).withRun(endedAt("r1", T0.plusSeconds(30)));

        assertThat(ledger.runs()).singleElement().extracting(SubjectRun::endedAtMillis)
                .isEqualTo(T0.plusSeconds(30).toEpochMilli());
    }
}
