package dev.agentwatch.model;

import java.util.Objects;

/**
 * One reading of agentwatch's own health, published periodically by each component so that the
 * Pipeline health dashboard can chart it from ClickHouse. Counters are cumulative since the
 * instance started (a restart starts them again from zero); gauges are the current value.
 *
 * @param timeEpochMillis when the reading was taken
 * @param component       {@code collector}, {@code detectors}, {@code alerts}
 * @param instance        which instance of the component (host name or configured id)
 * @param metric          what is measured, e.g. {@code spans_rejected}, {@code consumer_lag}
 * @param reason          the label that splits the metric (a rejection reason, a table, a
 *                        consumer group), empty when none
 * @param value           the reading
 */
public record PipelineMetric(long timeEpochMillis, String component, String instance, String metric, String reason,
                             double value) {
    public PipelineMetric {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(reason, "reason");
        if (component.isEmpty() || metric.isEmpty()) {
            throw new IllegalArgumentException("component and metric are required");
        }
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("value must be a number: " + metric);
        }
    }
}
