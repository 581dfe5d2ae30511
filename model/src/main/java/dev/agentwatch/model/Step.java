package dev.agentwatch.model;

import java.util.List;
import java.util.Objects;

/**
 * One unit of agent work, normalized from one span whatever its convention (OTel GenAI old and
 * new names, OpenInference, OpenLLMetry). Strings are never null: absent means empty.
 * Prompt and completion bodies are never carried: only their lengths and hashes.
 *
 * @param tenant             tenant the span was accepted for (from the API key, never the payload)
 * @param service            resource {@code service.name}
 * @param agentName          agent name, empty when no attribute names it
 * @param agentVersion       agent version, empty when absent
 * @param runId              lowercase hex trace id: one run is one trace
 * @param stepId             lowercase hex span id
 * @param parentStepId       lowercase hex parent span id, empty for a root span
 * @param kind               normalized step kind
 * @param name               the step's name: tool name, model operation, or the span name
 * @param spanName           the span name as sent
 * @param operation          {@code gen_ai.operation.name} or the convention's equivalent, empty if none
 * @param provider           model provider ({@code gen_ai.provider.name} / {@code gen_ai.system} / ...)
 * @param model              response model, else request model
 * @param startEpochNanos    span start
 * @param endEpochNanos      span end (never before start)
 * @param status             span status
 * @param errorType          {@code error.type}, exception type, or empty
 * @param errorMessage       status message or exception message, truncated, empty if none
 * @param tokens             token usage
 * @param costUsd            cost from the price table, 0 when unknown
 * @param finishReason       first finish reason, empty when absent
 * @param toolName           tool name for tool steps
 * @param toolCallId         tool call id for tool steps
 * @param toolArgumentsHash  hash of the tool arguments, empty when absent
 * @param toolOutputLooksLikeError true when the tool's output text is error-shaped
 * @param requestedToolCalls tool calls an LLM step asked for
 * @param conversationId     conversation or session id
 * @param subjectId          business key the run acted on ({@code agentwatch.subject.id})
 * @param claimedOutcome     what the run claimed ({@code agentwatch.outcome.claimed}), empty if none
 * @param evaluations        judge verdicts attached to this step
 * @param inputChars         length of the prompt/input text, 0 when absent
 * @param outputChars        length of the completion/output text, 0 when absent
 * @param outputHash         hash of the output text, empty when absent
 */
public record Step(
        String tenant,
        String service,
        String agentName,
        String agentVersion,
        String runId,
        String stepId,
        String parentStepId,
        StepKind kind,
        String name,
        String spanName,
        String operation,
        String provider,
        String model,
        long startEpochNanos,
        long endEpochNanos,
        StepStatus status,
        String errorType,
        String errorMessage,
        TokenUsage tokens,
        double costUsd,
        String finishReason,
        String toolName,
        String toolCallId,
        String toolArgumentsHash,
        boolean toolOutputLooksLikeError,
        List<ToolCallRequest> requestedToolCalls,
        String conversationId,
        String subjectId,
        String claimedOutcome,
        List<Evaluation> evaluations,
        long inputChars,
        long outputChars,
        String outputHash) {

    /**
     * Longest text kept in a step's name-like fields. A name is not a document: a span named
     * with a whole prompt would make a step, its run state and its run larger than Kafka takes
     * (a record it refuses stops an exactly-once pipeline for good), so longer text is cut.
     */
    public static final int MAX_TEXT_CHARS = 256;
    /** Most requested tool calls and evaluations kept per step, for the same reason. */
    public static final int MAX_LIST_ENTRIES = 64;

    public Step {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(parentStepId, "parentStepId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spanName, "spanName");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(errorType, "errorType");
        Objects.requireNonNull(errorMessage, "errorMessage");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(toolName, "toolName");
        Objects.requireNonNull(toolCallId, "toolCallId");
        Objects.requireNonNull(toolArgumentsHash, "toolArgumentsHash");
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(claimedOutcome, "claimedOutcome");
        Objects.requireNonNull(outputHash, "outputHash");
        if (runId.isEmpty() || stepId.isEmpty()) {
            throw new IllegalArgumentException("runId and stepId are required");
        }
        if (endEpochNanos < startEpochNanos) {
            throw new IllegalArgumentException("step ends before it starts: " + stepId);
        }
        if (costUsd < 0 || Double.isNaN(costUsd)) {
            throw new IllegalArgumentException("costUsd must be a non-negative number");
        }
        service = capped(service);
        agentName = capped(agentName);
        agentVersion = capped(agentVersion);
        name = capped(name);
        spanName = capped(spanName);
        operation = capped(operation);
        provider = capped(provider);
        model = capped(model);
        errorType = capped(errorType);
        errorMessage = capped(errorMessage);
        finishReason = capped(finishReason);
        toolName = capped(toolName);
        toolCallId = capped(toolCallId);
        conversationId = capped(conversationId);
        subjectId = capped(subjectId);
        claimedOutcome = capped(claimedOutcome);
        requestedToolCalls = List.copyOf(requestedToolCalls.subList(0, Math.min(requestedToolCalls.size(), MAX_LIST_ENTRIES)));
        evaluations = List.copyOf(evaluations.subList(0, Math.min(evaluations.size(), MAX_LIST_ENTRIES)));
    }

    /** {@code text} cut to {@link #MAX_TEXT_CHARS}, never between the two halves of a surrogate pair. */
    public static String capped(String text) {
        if (text.length() <= MAX_TEXT_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_TEXT_CHARS - 1)) ? MAX_TEXT_CHARS - 1 : MAX_TEXT_CHARS;
        return text.substring(0, end);
    }

    public boolean isRoot() {
        return parentStepId.isEmpty();
    }

    public long durationNanos() {
        return endEpochNanos - startEpochNanos;
    }

    public boolean failed() {
        return status == StepStatus.ERROR;
    }
}
