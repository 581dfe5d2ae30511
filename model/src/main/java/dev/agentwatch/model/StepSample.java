package dev.agentwatch.model;

import java.util.Objects;

/**
 * One step reduced to what the per-step metrics and the outlier detectors need, with the agent
 * name and version of its run (child spans often carry neither; the run assembler knows them once
 * the run closes). Emitted once per step, keyed by {@link #metricKey()}.
 *
 * @param tenant          tenant
 * @param agentName       agent of the run, empty when unknown
 * @param agentVersion    agent version of the run, empty when unknown
 * @param kind            step kind
 * @param name            step name
 * @param model           model, empty for non-model steps
 * @param runId           run (trace id)
 * @param stepId          step (span id)
 * @param subjectId       business key of the run, empty when none
 * @param endEpochNanos   step end (event time)
 * @param durationNanos   step duration
 * @param failed          the step's status is ERROR
 * @param inputTokens     input tokens
 * @param outputTokens    output tokens
 * @param costUsd         cost in USD
 */
public record StepSample(String tenant, String agentName, String agentVersion, StepKind kind, String name, String model,
                         String runId, String stepId, String subjectId, long endEpochNanos, long durationNanos,
                         boolean failed, long inputTokens, long outputTokens, double costUsd) {

    private static final char SEPARATOR = '\u001f';

    public StepSample {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(subjectId, "subjectId");
        if (durationNanos < 0 || inputTokens < 0 || outputTokens < 0 || !(costUsd >= 0)) {
            throw new IllegalArgumentException("durations, tokens and cost must not be negative");
        }
    }

    /** A step with the agent of its run. */
    public static StepSample of(Step step, String agentName, String agentVersion, String subjectId) {
        return new StepSample(step.tenant(), agentName, agentVersion, step.kind(), step.name(), step.model(),
                step.runId(), step.stepId(), subjectId, step.endEpochNanos(), step.durationNanos(), step.failed(),
                step.tokens().inputTokens(), step.tokens().outputTokens(), step.costUsd());
    }

    /** (tenant, agent, agent version, kind, name, model), joined by a unit separator. */
    public String metricKey() {
        return tenant + SEPARATOR + agentName + SEPARATOR + agentVersion + SEPARATOR + kind.label() + SEPARATOR + name
                + SEPARATOR + model;
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }
}
