package dev.agentwatch.clickhouse;

import dev.agentwatch.model.StepMetrics;
import java.util.List;

/** {@link StepMetrics} as a row of the {@code step_metrics_1m} table (migration 004). Stateless. */
public final class StepMetricsRowEncoder implements RowEncoder<StepMetrics> {
    private static final List<String> COLUMNS = List.of(
            "time", "tenant", "agent_name", "agent_version", "kind", "name", "model", "samples", "errors",
            "latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "latency_max_ms", "latency_buckets_ms",
            "latency_bucket_counts", "input_tokens", "output_tokens", "cost_usd");

    @Override
    public String table() {
        return "step_metrics_1m";
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public void encode(StepMetrics metrics, RowOutput out) {
        out.dateTimeSeconds(metrics.windowStartEpochMillis() / 1000)
                .string(metrics.tenant())
                .string(metrics.agentName())
                .string(metrics.agentVersion())
                .string(metrics.kind().label())
                .string(metrics.name())
                .string(metrics.model())
                .int64(metrics.samples())
                .int64(metrics.errors())
                .float64(metrics.latencyP50Ms())
                .float64(metrics.latencyP95Ms())
                .float64(metrics.latencyP99Ms())
                .float64(metrics.latencyMaxMs())
                .float64Array(metrics.latencyBucketsMs())
                .int64Array(metrics.latencyBucketCounts())
                .int64(metrics.inputTokens())
                .int64(metrics.outputTokens())
                .float64(metrics.costUsd());
    }
}
