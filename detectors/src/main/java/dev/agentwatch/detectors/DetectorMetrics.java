package dev.agentwatch.detectors;

import dev.agentwatch.model.PipelineMetric;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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
    private static final String PREFIX = "agentwatch.detectors.";
    public static final String RUNS_CLOSED = "agentwatch.detectors.runs.closed";
    public static final String RUNS_REVISED = "agentwatch.detectors.runs.revised";
    public static final String RUNS_PURGED = "agentwatch.detectors.runs.purged";
    public static final String STEPS_LATE = "agentwatch.detectors.steps.late";
    public static final String STEPS_DUPLICATE = "agentwatch.detectors.steps.duplicate";
    /** Steps counted in their run's totals but not kept for its detectors: tag max_steps or max_step_bytes. */
    public static final String STEPS_NOT_KEPT = "agentwatch.detectors.steps.not_kept";
    public static final String FINDINGS_EMITTED = "agentwatch.detectors.findings.emitted";
    /** Run findings resolved because a late step showed they no longer hold: tag = detector. */
    public static final String FINDINGS_RESOLVED = "agentwatch.detectors.findings.resolved";
    /**
     * Findings of disprovable detectors that a run's state could not keep to resolve later: tag
     * max_findings or max_finding_bytes (they stay as emitted).
     */
    public static final String FINDINGS_NOT_KEPT = "agentwatch.detectors.findings.not_kept";
    /**
     * Findings not emitted because they came past their detector's first
     * {@link dev.agentwatch.detectors.detect.RunDetector#MAX_FINDINGS_PER_RUN} on a run, or past the
     * run's 1,000 emitted: tag = detector; counted each time the run is inspected (its close and
     * each revision).
     */
    public static final String FINDINGS_PAST_RUN_CAP = "agentwatch.detectors.findings.past_run_cap";
    public static final String DETECTOR_FAILED = "agentwatch.detectors.detector.failed";
    /** Outlier baselines forgotten because no step updated them for the retention: tag retention. */
    public static final String BASELINES_FORGOTTEN = "agentwatch.detectors.baselines.forgotten";
    public static final String RECORDS_DEAD_LETTERED = "agentwatch.detectors.records.dead_lettered";

    private record Key(String name, String tag) {
    }

    private final Map<Key, LongAdder> counters = new ConcurrentHashMap<>();

    /**
     * Counters at 0 from the start for every tag the run assembler counts, every run detector's
     * failures and findings past its per-run cap, and every disprovable detector's resolutions. A
     * counter's first reading only sets the baseline a chart counts from, and a flat zero says
     * "healthy" where a missing series says nothing.
     */
    public static DetectorMetrics startingAtZero(Collection<String> runDetectors, Collection<String> disprovableDetectors) {
        DetectorMetrics metrics = new DetectorMetrics();
        List.of("root_ended", "inactivity").forEach(tag -> metrics.add(RUNS_CLOSED, tag, 0));
        metrics.add(RUNS_REVISED, "late_step", 0);
        metrics.add(RUNS_PURGED, "retention", 0);
        metrics.add(STEPS_LATE, "after_close", 0);
        metrics.add(STEPS_DUPLICATE, "same_step_id", 0);
        List.of("max_steps", "max_step_bytes").forEach(tag -> metrics.add(STEPS_NOT_KEPT, tag, 0));
        List.of("max_findings", "max_finding_bytes").forEach(tag -> metrics.add(FINDINGS_NOT_KEPT, tag, 0));
        runDetectors.forEach(detector -> metrics.add(DETECTOR_FAILED, detector, 0));
        runDetectors.forEach(detector -> metrics.add(FINDINGS_PAST_RUN_CAP, detector, 0));
        metrics.add(BASELINES_FORGOTTEN, "retention", 0);
        disprovableDetectors.forEach(detector -> metrics.add(FINDINGS_RESOLVED, detector, 0));
        return metrics;
    }

    public void increment(String name, String tag) {
        add(name, tag, 1);
    }

    public void add(String name, String tag, long amount) {
        counters.computeIfAbsent(new Key(name, tag), k -> new LongAdder()).add(amount);
    }

    public long count(String name, String tag) {
        LongAdder adder = counters.get(new Key(name, tag));
        return adder == null ? 0 : adder.sum();
    }

    /** Sum over every tag of {@code name}. */
    public long total(String name) {
        long sum = 0;
        for (Map.Entry<Key, LongAdder> entry : counters.entrySet()) {
            if (entry.getKey().name().equals(name)) {
                sum += entry.getValue().sum();
            }
        }
        return sum;
    }

    /** Every counter as {@code name{tag}}. */
    public Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new TreeMap<>();
        counters.forEach((key, value) -> snapshot.put(key.name() + "{" + key.tag() + "}", value.sum()));
        return snapshot;
    }

    /**
     * The counters as readings for the Pipeline health dashboard: {@code agentwatch.detectors.runs.closed{inactivity}}
     * is metric {@code runs_closed}, reason {@code inactivity}.
     */
    public List<PipelineMetric> readings(String instance, long nowEpochMillis) {
        List<PipelineMetric> readings = new ArrayList<>();
        counters.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(Key::name).thenComparing(Key::tag)))
                .forEach(entry -> {
                    String name = entry.getKey().name();
                    String metric = (name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name).replace('.', '_');
                    readings.add(new PipelineMetric(nowEpochMillis, "detectors", instance, metric, entry.getKey().tag(),
                            entry.getValue().sum()));
                });
        return readings;
    }
}
