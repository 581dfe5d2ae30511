package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.model.PipelineMetric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the outcome reconciliation, by what happened and why: nothing it drops or ignores
 * goes uncounted. Thread-safe.
 */
public final class OutcomeMetrics {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    void count(String what) {
        counters.computeIfAbsent(what, w -> new LongAdder()).increment();
    }

    void count(String what, String reason) {
        count(what + "." + reason);
    }

    /** A counter by name, e.g. {@code findings.silent_failure} or {@code outcomes.ignored.stale}; 0 when never counted. */
    public long get(String what) {
        LongAdder adder = counters.get(what);
        return adder == null ? 0 : adder.sum();
    }

    /** Every counter, by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((name, adder) -> out.put(name, adder.sum()));
        return out;
    }

    /**
     * As readings for the Pipeline health dashboard, the last part of a counter's name as its
     * reason: {@code outcomes.ignored.stale} is metric {@code outcome_outcomes_ignored}, reason {@code stale}.
     */
    public List<PipelineMetric> readings(String instance, long nowEpochMillis) {
        List<PipelineMetric> readings = new ArrayList<>();
        snapshot().forEach((name, value) -> {
            int dot = name.lastIndexOf('.');
            String metric = "outcome_" + (dot < 0 ? name : name.substring(0, dot)).replace('.', '_');
            readings.add(new PipelineMetric(nowEpochMillis, "detectors", instance, metric,
                    dot < 0 ? "" : name.substring(dot + 1), value));
        });
        return readings;
    }
}
