package dev.agentwatch.model;

import java.util.List;
import java.util.Objects;

/**
 * One agent task execution (one trace), summarized when it closes: its root span ended, or no
 * span arrived for the inactivity gap (then {@link RunStatus#UNFINISHED}). A run may be
 * re-emitted with a higher {@code revision} when late spans arrive after it closed.
 *
 * @param tenant            tenant
 * @param runId             trace id, lowercase hex
 * @param service           service of the root span (or the first span seen)
 * @param agentName         agent name of the root span, else the first step naming one
 * @param agentVersion      agent version, likewise
 * @param models            distinct models used by LLM steps, in first-use order
 * @param rootStepId        span id of the root, empty when no root arrived
 * @param rootName          name of the root step, empty when no root arrived
 * @param startEpochNanos   earliest step start
 * @param endEpochNanos     latest step end
 * @param status            how the run ended
 * @param steps             number of steps (spans)
 * @param llmCalls          LLM steps
 * @param toolCalls         tool steps
 * @param errors            steps with status ERROR
 * @param retries           steps that repeat the previous step of the same kind and name
 * @param handoffs          hand-off steps
 * @param inputTokens       input tokens over LLM and embedding steps
 * @param outputTokens      output tokens over LLM and embedding steps
 * @param costUsd           cost over LLM and embedding steps
 * @param path              step names in start order (bounded to the first 64)
 * @param subjectId         business key the run acted on, empty when none
 * @param claimedOutcome    what the run claimed, empty when none
 * @param conversationId    conversation or session id, empty when none
 * @param judgeScore        the latest judge score on the run, NaN when none
 * @param judgeLabel        the latest judge label, empty when none
 * @param lateSteps         steps that arrived after the run first closed
 * @param revision          0 for the first close, +1 for each re-emission
 * @param closedAtEpochMillis event time at which the run was closed
 */
public record Run(
        String tenant,
        String runId,
        String service,
        String agentName,
        String agentVersion,
        List<String> models,
        String rootStepId,
        String rootName,
        long startEpochNanos,
        long endEpochNanos,
        RunStatus status,
        int steps,
        int llmCalls,
        int toolCalls,
        int errors,
        int retries,
        int handoffs,
        long inputTokens,
        long outputTokens,
        double costUsd,
        List<String> path,
        String subjectId,
        String claimedOutcome,
        String conversationId,
        double judgeScore,
        String judgeLabel,
        int lateSteps,
        int revision,
        long closedAtEpochMillis) {

    public Run {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(rootStepId, "rootStepId");
        Objects.requireNonNull(rootName, "rootName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(claimedOutcome, "claimedOutcome");
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(judgeLabel, "judgeLabel");
        models = List.copyOf(models);
        path = List.copyOf(path);
        if (runId.isEmpty()) {
            throw new IllegalArgumentException("runId is required");
        }
        if (steps < 0 || llmCalls < 0 || toolCalls < 0 || errors < 0 || retries < 0 || handoffs < 0 || lateSteps < 0
                || revision < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    public long durationNanos() {
        return Math.max(0, endEpochNanos - startEpochNanos);
    }

    public boolean hasJudgeScore() {
        return !Double.isNaN(judgeScore);
    }
}
