package dev.agentwatch.model;

import java.util.List;
import java.util.Objects;

/**
 * One run's steps from one {@code otlp_spans} record (its spans in one export request): one
 * record on {@code agentwatch_steps}, keyed by run id. A record costs the producer, the broker and
 * the steps sink about the same whatever it holds, so an exporter that batches a run's spans
 * (the OpenTelemetry SDKs' default) makes few of them.
 *
 * @param steps at least one, all of one tenant and run, in the order of their spans in the request
 */
public record StepBatch(List<Step> steps) {

    public StepBatch {
        steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a step batch holds at least one step");
        }
        Step first = steps.getFirst();
        for (Step step : steps) {
            if (!step.runId().equals(first.runId()) || !step.tenant().equals(first.tenant())) {
                throw new IllegalArgumentException("a step batch of run " + first.tenant() + "/" + first.runId()
                        + " cannot hold step " + step.stepId() + " of run " + step.tenant() + "/" + step.runId());
            }
        }
    }

    public static StepBatch of(Step step) {
        return new StepBatch(List.of(step));
    }

    /** The run id (trace id) all steps share: the record's key. */
    public String runId() {
        return steps.getFirst().runId();
    }
}
