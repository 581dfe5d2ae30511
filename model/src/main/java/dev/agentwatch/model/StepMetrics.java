package dev.agentwatch.model;

import java.util.List;
import java.util.Objects;

/**
 * Per-step metrics of one minute for one (tenant, agent, agent version, step kind, step name,
 * model). Re-emitted with a higher {@code samples} count while the minute fills up; the latest
 * (largest) one is the whole minute.
 *
 * @param windowStartEpochMillis start of the minute (event time)
 * @param tenant                 tenant
 * @param agentName              agent, empty when unknown
 * @param agentVersion           agent version, empty when unknown
 * @param kind                   step kind
 * @param name                   step name
 * @param model                  model, empty for non-model steps
 * @param samples                steps in the minute
 * @param errors                 failed steps
 * @param latencyP50Ms           median duration in milliseconds (from the sketch, ~1% relative error)
 * @param latencyP95Ms           95th percentile duration
 * @param latencyP99Ms           99th percentile duration
 * @param latencyMaxMs           longest duration
 * @param latencyBucketsMs       the sketch: bucket values in milliseconds, ascending
 * @param latencyBucketCounts    the sketch: steps per bucket (same length): sums merge across minutes
 * @param inputTokens            input tokens
 * @param outputTokens           output tokens
 * @param costUsd                cost
 */
public record StepMetrics(long windowStartEpochMillis, String tenant, String agentName, String agentVersion, StepKind kind,
                          String name, String model, long samples, long errors, double latencyP50Ms, double latencyP95Ms,
                          double latencyP99Ms, double latencyMaxMs, List<Double> latencyBucketsMs,
                          List<Long> latencyBucketCounts, long inputTokens, long outputTokens, double costUsd) {
    public StepMetrics {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        latencyBucketsMs = List.copyOf(latencyBucketsMs);
        latencyBucketCounts = List.copyOf(latencyBucketCounts);
        if (latencyBucketsMs.size() != latencyBucketCounts.size()) {
            throw new IllegalArgumentException("latency buckets and counts differ in length");
        }
        if (samples < 0 || errors < 0 || errors > samples) {
            throw new IllegalArgumentException("samples and errors must satisfy 0 <= errors <= samples");
        }
    }
}
