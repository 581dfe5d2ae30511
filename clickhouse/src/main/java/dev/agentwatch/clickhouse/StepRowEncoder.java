package dev.agentwatch.clickhouse;

import dev.agentwatch.model.Evaluation;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.ToolCallRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** {@link Step} as a row of the {@code steps} table. Stateless. */
public final class StepRowEncoder implements RowEncoder<Step> {
    private static final List<String> COLUMNS = List.of(
            "tenant", "service", "agent_name", "agent_version", "run_id", "step_id", "parent_step_id", "kind",
            "name", "span_name", "operation", "provider", "model", "start_time", "end_time", "duration_ms",
            "status", "error_type", "error_message", "input_tokens", "output_tokens", "cache_read_tokens",
            "cache_write_tokens", "reasoning_tokens", "cost_usd", "finish_reason", "tool_name", "tool_call_id",
            "tool_arguments_hash", "tool_output_error", "requested_tool_call_ids", "requested_tool_names",
            "conversation_id", "subject_id", "claimed_outcome", "evaluation_names", "evaluation_scores",
            "evaluation_labels", "input_chars", "output_chars", "output_hash");

    @Override
    public String table() {
        return "steps";
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public void encode(Step step, RowOutput out) {
        out.string(step.tenant())
                .string(step.service())
                .string(step.agentName())
                .string(step.agentVersion())
                .string(step.runId())
                .string(step.stepId())
                .string(step.parentStepId())
                .string(step.kind().label())
                .string(step.name())
                .string(step.spanName())
                .string(step.operation())
                .string(step.provider())
                .string(step.model())
                .dateTime64Nanos(step.startEpochNanos())
                .dateTime64Nanos(step.endEpochNanos())
                .float64(step.durationNanos() / 1_000_000.0)
                .string(step.status().label())
                .string(step.errorType())
                .string(step.errorMessage())
                .int64(step.tokens().inputTokens())
                .int64(step.tokens().outputTokens())
                .int64(step.tokens().cacheReadTokens())
                .int64(step.tokens().cacheWriteTokens())
                .int64(step.tokens().reasoningTokens())
                .float64(step.costUsd())
                .string(step.finishReason())
                .string(step.toolName())
                .string(step.toolCallId())
                .string(step.toolArgumentsHash())
                .bool(step.toolOutputLooksLikeError())
                .stringArray(each(step.requestedToolCalls(), ToolCallRequest::callId))
                .stringArray(each(step.requestedToolCalls(), ToolCallRequest::toolName))
                .string(step.conversationId())
                .string(step.subjectId())
                .string(step.claimedOutcome())
                .stringArray(each(step.evaluations(), Evaluation::name))
                .float64Array(each(step.evaluations(), Evaluation::score))
                .stringArray(each(step.evaluations(), Evaluation::label))
                .int64(step.inputChars())
                .int64(step.outputChars())
                .string(step.outputHash());
    }

    /**
     * A field of each element, without a stream per column: those showed in the sinks' profile, and
     * most steps' lists are empty.
     */
    private static <T, R> List<R> each(List<T> elements, Function<T, R> field) {
        if (elements.isEmpty()) {
            return List.of();
        }
        List<R> fields = new ArrayList<>(elements.size());
        for (T element : elements) {
            fields.add(field.apply(element));
        }
        return fields;
    }
}
