package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Reconciliation.MatchedBy;
import dev.agentwatch.model.Run;
import java.util.Objects;

/**
 * What the reconciliation stages exchange through their repartition topics: one of the three
 * inputs, re-keyed by subject or by run. Serialized by {@link ReconcileEventSerde}.
 */
sealed interface ReconcileEvent permits ReconcileEvent.RunArrived, ReconcileEvent.OutcomeArrived,
        ReconcileEvent.FindingArrived {

    /** A run (revision) closed. */
    record RunArrived(Run run) implements ReconcileEvent {
        public RunArrived {
            Objects.requireNonNull(run, "run");
        }
    }

    /**
     * An outcome, naming its run: directly ({@link MatchedBy#RUN_ID}), or resolved from its subject
     * ({@link MatchedBy#SUBJECT}, with {@code resolvedRunId} the run chosen). Before resolution a
     * subject outcome travels with {@link MatchedBy#SUBJECT} and an empty {@code resolvedRunId}.
     */
    record OutcomeArrived(Outcome outcome, MatchedBy matchedBy, String resolvedRunId) implements ReconcileEvent {
        public OutcomeArrived {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(matchedBy, "matchedBy");
            Objects.requireNonNull(resolvedRunId, "resolvedRunId");
            if (matchedBy == MatchedBy.NONE) {
                throw new IllegalArgumentException("an outcome travels matched by run id or by subject");
            }
        }

        static OutcomeArrived byRunId(Outcome outcome) {
            return new OutcomeArrived(outcome, MatchedBy.RUN_ID, outcome.runId());
        }

        static OutcomeArrived bySubject(Outcome outcome) {
            return new OutcomeArrived(outcome, MatchedBy.SUBJECT, "");
        }

        OutcomeArrived resolvedTo(String runId) {
            return new OutcomeArrived(outcome, MatchedBy.SUBJECT, runId);
        }
    }

    /** Another detector's finding on a run, kept for attribution. */
    record FindingArrived(Finding finding) implements ReconcileEvent {
        public FindingArrived {
            Objects.requireNonNull(finding, "finding");
        }
    }
}
