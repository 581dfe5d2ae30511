package dev.agentwatch.clickhouse;

import dev.agentwatch.model.PipelineMetric;
import java.util.List;

/** {@link PipelineMetric} as a row of {@code pipeline_metrics}. Stateless. */
public final class PipelineMetricRowEncoder implements RowEncoder<PipelineMetric> {
    private static final List<String> COLUMNS = List.of("time", "component", "instance", "metric", "reason", "value");

    @Override
    public String table() {
        return "pipeline_metrics";
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public void encode(PipelineMetric metric, RowOutput out) {
        out.dateTime64Millis(metric.timeEpochMillis())
                .string(metric.component())
                .string(metric.instance())
                .string(metric.metric())
                .string(metric.reason())
                .float64(metric.value());
    }
}
