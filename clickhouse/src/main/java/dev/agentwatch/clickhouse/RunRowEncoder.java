package dev.agentwatch.clickhouse;

import dev.agentwatch.model.Run;
import java.util.List;

/** {@link Run} as a row of the {@code runs} table (migration 002). Stateless. */
public final class RunRowEncoder implements RowEncoder<Run> {
    private static final List<String> COLUMNS = List.of(
            "tenant", "run_id", "service", "agent_name", "agent_version", "models", "root_step_id", "root_name",
            "start_time", "end_time", "duration_ms", "status", "steps", "llm_calls", "tool_calls", "errors", "retries",
            "handoffs", "input_tokens", "output_tokens", "cost_usd", "path", "subject_id", "claimed_outcome",
            "conversation_id", "judge_score", "judge_label", "late_steps", "revision", "closed_at");

    @Override
    public String table() {
        return "runs";
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public void encode(Run run, RowOutput out) {
        out.string(run.tenant())
                .string(run.runId())
                .string(run.service())
                .string(run.agentName())
                .string(run.agentVersion())
                .stringArray(run.models())
                .string(run.rootStepId())
                .string(run.rootName())
                .dateTime64Nanos(run.startEpochNanos())
                .dateTime64Nanos(run.endEpochNanos())
                .float64(run.durationNanos() / 1_000_000.0)
                .string(run.status().label())
                .uint32(run.steps())
                .uint32(run.llmCalls())
                .uint32(run.toolCalls())
                .uint32(run.errors())
                .uint32(run.retries())
                .uint32(run.handoffs())
                .int64(run.inputTokens())
                .int64(run.outputTokens())
                .float64(run.costUsd())
                .stringArray(run.path())
                .string(run.subjectId())
                .string(run.claimedOutcome())
                .string(run.conversationId())
                .float64(run.judgeScore())
                .string(run.judgeLabel())
                .uint32(run.lateSteps())
                .uint32(run.revision())
                .dateTime64Millis(run.closedAtEpochMillis());
    }
}
