package dev.agentwatch.detectors;

import dev.agentwatch.model.PipelineMetric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the run and metrics pipelines, each with a reason or detector tag
 * ({@code agentwatch.detectors.<noun>.<outcome>}). Thread-safe.
 */
public final class DetectorMetrics {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    public void increment(String name, String tag) {
        add(name, tag, 1);
    }

    public void add(String name, String tag, long amount) {
        counters.computeIfAbsent(name + "{" + tag + "}", k -> new LongAdder()).add(amount);
    }

    public long count(String name, String tag) {
        LongAdder adder = counters.get(name + "{" + tag + "}");
        return adder == null ? 0 : adder.sum();
    }

    /** Sum over every tag of {@code name}. */
    public long total(String name) {
        long sum = 0;
        for (Map.Entry<String, LongAdder> entry : counters.entrySet()) {
            if (entry.getKey().startsWith(name + "{")) {
                sum += entry.getValue().sum();
            }
        }
        return sum;
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new TreeMap<>();
        counters.forEach((key, value) -> snapshot.put(key, value.sum()));
        return snapshot;
    }

    /**
     * The counters as readings for the Pipeline health dashboard: {@code agentwatch.detectors.runs.closed{inactivity}}
     * is metric {@code runs_closed}, reason {@code inactivity}.
     */
    public List<PipelineMetric> readings(String instance, long nowEpochMillis) {
        List<PipelineMetric> readings = new ArrayList<>();
        snapshot().forEach((key, value) -> {
            int brace = key.indexOf('{');
            String metric = key.substring(PREFIX.length(), brace).replace('.', '_');
            String reason = key.substring(brace + 1, key.length() - 1);
            readings.add(new PipelineMetric(nowEpochMillis, "detectors", instance, metric, reason, value));
        });
        return readings;
    }

    private static final String PREFIX = "agentwatch.detectors.";
    public static final String RUNS_CLOSED = "agentwatch.detectors.runs.closed";
    public static final String RUNS_REVISED = "agentwatch.detectors.runs.revised";
    public static final String RUNS_PURGED = "agentwatch.detectors.runs.purged";
    public static final String STEPS_LATE = "agentwatch.detectors.steps.late";
    public static final String STEPS_DUPLICATE = "agentwatch.detectors.steps.duplicate";
    /** Steps counted in their run's totals but not kept for its detectors: tag max_steps or max_step_bytes. */
    public static final String STEPS_NOT_KEPT = "agentwatch.detectors.steps.not_kept";
    public static final String FINDINGS_EMITTED = "agentwatch.detectors.findings.emitted";
    public static final String DETECTOR_FAILED = "agentwatch.detectors.detector.failed";
    public static final String RECORDS_DEAD_LETTERED = "agentwatch.detectors.records.dead_lettered";
}
