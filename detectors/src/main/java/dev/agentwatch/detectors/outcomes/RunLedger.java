package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Reconciliation.MatchedBy;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the reconciliation keeps about one run, in one state-store value: the latest run
 * revision (null until it arrives: outcomes may come first), the latest outcome of each source,
 * other detectors' findings on the run (for attribution), which of our findings were already
 * reported, and the run's current contribution to the rates. Immutable; every transition returns
 * a new ledger, or empty when the event changes nothing (a duplicate, an older revision, a stale
 * outcome).
 *
 * @param run                 latest run revision, null until the run arrives
 * @param outcomes            latest outcome per source
 * @param relatedFindings     other detectors' findings on the run, most severe first, bounded
 * @param reportedDetectors   detectors whose finding on this run was already emitted
 * @param contribution        what the run currently adds to the rates, null when nothing
 * @param version             grows with every reconciliation of the run
 * @param lastEventMillis     event time of the latest event about the run (retention counts from it)
 * @param overdueAtMillis     event time at which a missing outcome is overdue, 0 when not expected
 */
record RunLedger(
        Run run,
        List<MatchedOutcome> outcomes,
        List<RelatedFinding> relatedFindings,
        List<String> reportedDetectors,
        RateContribution contribution,
        long version,
        long lastEventMillis,
        long overdueAtMillis) {

    /** Other detectors' findings kept per run; the most severe stay. */
    static final int MAX_RELATED_FINDINGS = 32;
    /** Outcome sources kept per run; beyond this the oldest outcome gives way. */
    static final int MAX_SOURCES = 16;

    RunLedger {
        outcomes = List.copyOf(outcomes);
        relatedFindings = List.copyOf(relatedFindings);
        reportedDetectors = List.copyOf(reportedDetectors);
    }

    static RunLedger empty() {
        return new RunLedger(null, List.of(), List.of(), List.of(), null, 0, Long.MIN_VALUE, 0);
    }

    /** An outcome and how it found this run. */
    record MatchedOutcome(Outcome outcome, MatchedBy matchedBy) {
        MatchedOutcome {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(matchedBy, "matchedBy");
        }
    }

    /** Another detector's finding, reduced to what attribution shows. */
    record RelatedFinding(String fingerprint, String detector, Severity severity, String stepId, String summary,
                          long eventEpochNanos) {
        RelatedFinding {
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(detector, "detector");
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(stepId, "stepId");
            Objects.requireNonNull(summary, "summary");
        }

        static RelatedFinding of(Finding finding) {
            return new RelatedFinding(finding.fingerprint(), finding.detector(), finding.severity(), finding.stepId(),
                    finding.summary(), finding.eventEpochNanos());
        }
    }

    /** What one run adds to its agent's rate counts: one run with an outcome, maybe one silent failure. */
    record RateContribution(String tenant, String agentName, String agentVersion, long hourStartMillis,
                            boolean silentFailure) {
        RateContribution {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(agentName, "agentName");
            Objects.requireNonNull(agentVersion, "agentVersion");
        }
    }

    /** Orders outcomes by recency: decision time, then arrival, then id (any total order will do). */
    static final Comparator<Outcome> RECENCY = Comparator.comparingLong(Outcome::observedEpochMillis)
            .thenComparingLong(Outcome::receivedEpochMillis)
            .thenComparing(Outcome::outcomeId);

    /** Takes a newer revision of the run; the same or an older revision changes nothing. */
    Optional<RunLedger> withRun(Run newer) {
        if (run != null && newer.revision() <= run.revision()) {
            return Optional.empty();
        }
        return Optional.of(new RunLedger(newer, outcomes, relatedFindings, reportedDetectors, contribution, version,
                lastEventMillis, overdueAtMillis));
    }

    /**
     * Takes an outcome unless the same source already gave this one (same id) or a more recent one:
     * a later outcome supersedes an earlier one from the same source, and re-deliveries change nothing.
     */
    Optional<RunLedger> withOutcome(MatchedOutcome arrived) {
        String source = arrived.outcome().source();
        List<MatchedOutcome> next = new ArrayList<>(outcomes.size() + 1);
        for (MatchedOutcome held : outcomes) {
            if (held.outcome().source().equals(source)) {
                // The same id again is a re-delivery even when it was received later (a client retry).
                if (held.outcome().outcomeId().equals(arrived.outcome().outcomeId())
                        || RECENCY.compare(arrived.outcome(), held.outcome()) <= 0) {
                    return Optional.empty();
                }
            } else {
                next.add(held);
            }
        }
        next.add(arrived);
        if (next.size() > MAX_SOURCES) {
            next.sort(Comparator.comparing(MatchedOutcome::outcome, RECENCY));
            next.removeFirst();
        }
        return Optional.of(new RunLedger(run, next, relatedFindings, reportedDetectors, contribution, version,
                lastEventMillis, overdueAtMillis));
    }

    /** Keeps another detector's finding on the run, most severe first; a known fingerprint changes nothing. */
    Optional<RunLedger> withRelatedFinding(RelatedFinding finding) {
        if (relatedFindings.stream().anyMatch(held -> held.fingerprint().equals(finding.fingerprint()))) {
            return Optional.empty();
        }
        List<RelatedFinding> next = new ArrayList<>(relatedFindings);
        next.add(finding);
        next.sort(Comparator.comparing(RelatedFinding::severity).reversed()
                .thenComparingLong(RelatedFinding::eventEpochNanos)
                .thenComparing(RelatedFinding::fingerprint));
        if (next.size() > MAX_RELATED_FINDINGS) {
            next.removeLast();
        }
        return Optional.of(new RunLedger(run, outcomes, next, reportedDetectors, contribution, version, lastEventMillis,
                overdueAtMillis));
    }

    /** Forgets another detector's finding that a late step disproved; an unknown fingerprint changes nothing. */
    Optional<RunLedger> withoutRelatedFinding(String fingerprint) {
        List<RelatedFinding> next = relatedFindings.stream().filter(held -> !held.fingerprint().equals(fingerprint)).toList();
        if (next.size() == relatedFindings.size()) {
            return Optional.empty();
        }
        return Optional.of(new RunLedger(run, outcomes, next, reportedDetectors, contribution, version, lastEventMillis,
                overdueAtMillis));
    }

    /** The run's latest word: the most recent outcome over all sources. */
    Optional<MatchedOutcome> effectiveOutcome() {
        return outcomes.stream().max(Comparator.comparing(MatchedOutcome::outcome, RECENCY));
    }

    boolean hasRun() {
        return run != null;
    }

    boolean reconcilable() {
        return run != null && !outcomes.isEmpty();
    }

    boolean reported(String detector) {
        return reportedDetectors.contains(detector);
    }

    RunLedger withReported(String detector) {
        if (reported(detector)) {
            return this;
        }
        List<String> next = new ArrayList<>(reportedDetectors);
        next.add(detector);
        return new RunLedger(run, outcomes, relatedFindings, next, contribution, version, lastEventMillis,
                overdueAtMillis);
    }

    RunLedger withContribution(RateContribution next) {
        return new RunLedger(run, outcomes, relatedFindings, reportedDetectors, next, version, lastEventMillis,
                overdueAtMillis);
    }

    RunLedger nextVersion() {
        return new RunLedger(run, outcomes, relatedFindings, reportedDetectors, contribution, version + 1,
                lastEventMillis, overdueAtMillis);
    }

    RunLedger touchedAt(long eventMillis) {
        return new RunLedger(run, outcomes, relatedFindings, reportedDetectors, contribution, version,
                Math.max(lastEventMillis, eventMillis), overdueAtMillis);
    }

    RunLedger withOverdueAt(long millis) {
        return new RunLedger(run, outcomes, relatedFindings, reportedDetectors, contribution, version, lastEventMillis,
                millis);
    }
}
