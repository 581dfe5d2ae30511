package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Reconciliation.MatchedBy;
import dev.agentwatch.model.Run;
import java.util.List;
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

        /**
         * The run without its path and model list: reconciliation compares and reports the rest, and
         * a ledger is kept for every run for the whole retention, so it should stay small.
         */
        static RunArrived of(Run run) {
            return new RunArrived(new Run(run.tenant(), run.runId(), run.service(), run.agentName(), run.agentVersion(),
                    List.of(), run.rootStepId(), run.rootName(), run.startEpochNanos(), run.endEpochNanos(), run.status(),
                    run.steps(), run.llmCalls(), run.toolCalls(), run.errors(), run.retries(), run.handoffs(),
                    run.inputTokens(), run.outputTokens(), run.costUsd(), List.of(), run.subjectId(), run.claimedOutcome(),
                    run.conversationId(), run.judgeScore(), run.judgeLabel(), run.lateSteps(), run.revision(),
                    run.closedAtEpochMillis()));
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
