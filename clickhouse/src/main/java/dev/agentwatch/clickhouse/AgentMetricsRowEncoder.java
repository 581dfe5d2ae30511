package dev.agentwatch.clickhouse;

import dev.agentwatch.model.AgentMetrics;
import java.util.List;

/** {@link AgentMetrics} as a row of the {@code agent_metrics_1m} table (migration 005). Stateless. */
public final class AgentMetricsRowEncoder implements RowEncoder<AgentMetrics> {
    private static final List<String> COLUMNS = List.of(
            "time", "tenant", "agent_name", "agent_version", "runs", "ok_runs", "error_runs", "unfinished_runs",
            "runs_with_failed_steps", "handoff_runs", "success_rate", "handoff_rate", "steps_per_run",
            "steps_per_run_counts", "model_calls_per_run", "model_calls_per_run_counts", "duration_p50_ms",
            "duration_p95_ms", "input_tokens", "output_tokens", "cost_usd");

    @Override
    public String table() {
        return "agent_metrics_1m";
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public void encode(AgentMetrics metrics, RowOutput out) {
        out.dateTimeSeconds(metrics.windowStartEpochMillis() / 1000)
                .string(metrics.tenant())
                .string(metrics.agentName())
                .string(metrics.agentVersion())
                .int64(metrics.runs())
                .int64(metrics.okRuns())
                .int64(metrics.errorRuns())
                .int64(metrics.unfinishedRuns())
                .int64(metrics.runsWithFailedSteps())
                .int64(metrics.handoffRuns())
                .float64(metrics.successRate())
                .float64(metrics.handoffRate())
                .int64Array(metrics.stepsPerRun())
                .int64Array(metrics.stepsPerRunCounts())
                .int64Array(metrics.modelCallsPerRun())
                .int64Array(metrics.modelCallsPerRunCounts())
                .float64(metrics.durationP50Ms())
                .float64(metrics.durationP95Ms())
                .int64(metrics.inputTokens())
                .int64(metrics.outputTokens())
                .float64(metrics.costUsd());
    }
}
