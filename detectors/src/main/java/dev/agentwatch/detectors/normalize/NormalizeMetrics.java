package dev.agentwatch.detectors.normalize;

import dev.agentwatch.model.PipelineMetric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Steps produced and records dead-lettered by reason. Thread-safe. */
public final class NormalizeMetrics {
    private final LongAdder steps = new LongAdder();
    private final Map<String, LongAdder> deadLettered = new ConcurrentHashMap<>();

    void recordSteps(int count) {
        steps.add(count);
    }

    void recordDeadLetter(String reason) {
        deadLettered.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public long steps() {
        return steps.sum();
    }

    public long deadLettered(String reason) {
        LongAdder adder = deadLettered.get(reason);
        return adder == null ? 0 : adder.sum();
    }

    /** As readings for the Pipeline health dashboard: {@code steps_normalized}, {@code spans_dead_lettered} by reason. */
    public List<PipelineMetric> readings(String instance, long nowEpochMillis) {
        List<PipelineMetric> readings = new ArrayList<>();
        readings.add(new PipelineMetric(nowEpochMillis, "detectors", instance, "steps_normalized", "", steps()));
        deadLettered.forEach((reason, count) -> readings.add(new PipelineMetric(nowEpochMillis, "detectors", instance,
                "spans_dead_lettered", reason, count.sum())));
        return readings;
    }
}
