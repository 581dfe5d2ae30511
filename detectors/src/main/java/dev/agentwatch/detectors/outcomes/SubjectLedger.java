package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Run;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the subject stage keeps about one business subject (a claim, a ticket): its recent runs,
 * the outcomes waiting for a run, and where already-matched outcomes went. Immutable.
 *
 * <h2>Which run a subject outcome judges</h2>
 * The latest run of the subject (same tenant) that ended at or before the outcome's decision
 * time ({@code observedEpochMillis}): a decision can only be about work that was finished when
 * it was made, and of several such runs the last one is what the business saw. Ties go to the
 * run that closed later, then to the larger run id. The match waits until event time has passed
 * the decision time by the settle delay, so that a run which ended just before the decision has
 * had time to arrive; when no run qualifies yet, the outcome waits for one until the retention has
 * passed since it was received, then it is given up (reported unmatched), even while the subject
 * stays busy. At most {@value #MAX_PENDING} outcomes wait per subject; past that the oldest is
 * given up. A re-delivered outcome goes to the run it was first matched to.
 *
 * @param runs            recent runs of the subject, latest end last, bounded
 * @param pending         outcomes waiting for a run
 * @param matched         where outcomes already went, most recent last, bounded
 * @param lastEventMillis event time of the latest event about the subject
 */
record SubjectLedger(List<SubjectRun> runs, List<Outcome> pending, List<MatchedRef> matched, long lastEventMillis) {
    /** Runs kept per subject: a subject worked on more often than this matches among its latest. */
    static final int MAX_RUNS = 64;
    static final int MAX_MATCHED = 64;
    /** Outcomes waiting per subject: they are kept in the ledger, which a changelog record must hold. */
    static final int MAX_PENDING = 64;
    /** The run of a given-up outcome in {@link #matched}: a re-delivery of it is not queued again. */
    static final String GIVEN_UP = "";

    SubjectLedger {
        runs = List.copyOf(runs);
        pending = List.copyOf(pending);
        matched = List.copyOf(matched);
    }

    static SubjectLedger empty() {
        return new SubjectLedger(List.of(), List.of(), List.of(), Long.MIN_VALUE);
    }

    /** A run of the subject, as far as matching needs it. */
    record SubjectRun(String runId, long endedAtMillis, long closedAtMillis) {
        SubjectRun {
            Objects.requireNonNull(runId, "runId");
        }

        static SubjectRun of(Run run) {
            return new SubjectRun(run.runId(), RunReconciler.endMillis(run), run.closedAtEpochMillis());
        }
    }

    /** An outcome already matched, and the run it went to. */
    record MatchedRef(String outcomeId, String runId) {
        MatchedRef {
            Objects.requireNonNull(outcomeId, "outcomeId");
            Objects.requireNonNull(runId, "runId");
        }
    }

    /** An outcome and the run it judges. */
    record Match(Outcome outcome, String runId) {
    }

    private static final Comparator<SubjectRun> RUN_ORDER = Comparator.comparingLong(SubjectRun::endedAtMillis)
            .thenComparingLong(SubjectRun::closedAtMillis)
            .thenComparing(SubjectRun::runId);

    SubjectLedger withRun(SubjectRun run) {
        List<SubjectRun> next = new ArrayList<>(runs.size() + 1);
        for (SubjectRun held : runs) {
            if (!held.runId().equals(run.runId())) {
                next.add(held);
            }
        }
        next.add(run);
        next.sort(RUN_ORDER);
        while (next.size() > MAX_RUNS) {
            next.removeFirst();
        }
        return new SubjectLedger(next, pending, matched, lastEventMillis);
    }

    /** Queues an outcome; one already queued changes nothing. */
    SubjectLedger withPending(Outcome outcome) {
        if (pending.stream().anyMatch(held -> held.outcomeId().equals(outcome.outcomeId()))) {
            return this;
        }
        List<Outcome> next = new ArrayList<>(pending);
        next.add(outcome);
        return new SubjectLedger(runs, next, matched, lastEventMillis);
    }

    /** The run an already-matched outcome went to ({@link #GIVEN_UP} if it was given up). */
    Optional<String> matchedRunOf(String outcomeId) {
        return matched.stream().filter(ref -> ref.outcomeId().equals(outcomeId)).map(MatchedRef::runId).findFirst();
    }

    /** The latest run that ended at or before {@code decisionMillis}. */
    Optional<SubjectRun> runJudgedAt(long decisionMillis) {
        SubjectRun best = null;
        for (SubjectRun run : runs) {
            if (run.endedAtMillis() <= decisionMillis && (best == null || RUN_ORDER.compare(run, best) > 0)) {
                best = run;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The result of matching the pending outcomes: those matched, and those given up waiting. */
    record Matching(SubjectLedger ledger, List<Match> matches, List<Outcome> givenUp) {
        Matching {
            matches = List.copyOf(matches);
            givenUp = List.copyOf(givenUp);
        }
    }

    /**
     * Matches every pending outcome that has settled by {@code streamTimeMillis} and has a run to
     * judge; gives up those that waited {@code retention} since they were received, and the oldest
     * past {@link #MAX_PENDING}.
     */
    Matching matchSettled(long streamTimeMillis, Duration settle, Duration retention) {
        List<Outcome> stillPending = new ArrayList<>();
        List<Match> matches = new ArrayList<>();
        List<Outcome> givenUp = new ArrayList<>();
        List<MatchedRef> refs = new ArrayList<>(matched);
        for (Outcome outcome : pending) {
            Optional<SubjectRun> run = settledAt(outcome, settle) <= streamTimeMillis
                    ? runJudgedAt(outcome.observedEpochMillis())
                    : Optional.empty();
            if (run.isPresent()) {
                matches.add(new Match(outcome, run.get().runId()));
                refs.add(new MatchedRef(outcome.outcomeId(), run.get().runId()));
            } else if (givenUpAt(outcome, retention) <= streamTimeMillis) {
                givenUp.add(outcome);
            } else {
                stillPending.add(outcome);
            }
        }
        while (stillPending.size() > MAX_PENDING) {
            givenUp.add(stillPending.removeFirst());
        }
        givenUp.forEach(outcome -> refs.add(new MatchedRef(outcome.outcomeId(), GIVEN_UP)));
        while (refs.size() > MAX_MATCHED) {
            refs.removeFirst();
        }
        return new Matching(new SubjectLedger(runs, stillPending, refs, lastEventMillis), matches, givenUp);
    }

    /** When a pending outcome stops waiting for its run. */
    static long givenUpAt(Outcome outcome, Duration retention) {
        return outcome.receivedEpochMillis() + retention.toMillis();
    }

    static long settledAt(Outcome outcome, Duration settle) {
        return outcome.observedEpochMillis() + settle.toMillis();
    }

    SubjectLedger touchedAt(long eventMillis) {
        return new SubjectLedger(runs, pending, matched, Math.max(lastEventMillis, eventMillis));
    }
}
