package dev.agentwatch.detectors.sink;

import dev.agentwatch.detectors.health.HealthReport;
import dev.agentwatch.detectors.health.RecentFailures;
import dev.agentwatch.model.PipelineMetric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Rows written, write retries, restarts after unexpected failures and undecodable records per
 * table, and for health: since when each table's writes have been failing, and its recent
 * restarts. Thread-safe.
 */
public final class SinkMetrics {
    private final Map<String, LongAdder> written = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> retries = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> undecodable = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> restarts = new ConcurrentHashMap<>();
    private final Map<String, Long> failingSinceMillis = new ConcurrentHashMap<>();
    private final RecentFailures recentRestarts = new RecentFailures(HealthReport.Limits.defaults().window());

    void written(String table, int rows) {
        written.computeIfAbsent(table, t -> new LongAdder()).add(rows);
        failingSinceMillis.remove(table);
    }

    void retried(String table, long nowEpochMillis) {
        retries.computeIfAbsent(table, t -> new LongAdder()).increment();
        failingSinceMillis.putIfAbsent(table, nowEpochMillis);
    }

    void restarted(String table, long nowEpochMillis) {
        restarts.computeIfAbsent(table, t -> new LongAdder()).increment();
        recentRestarts.record(table, nowEpochMillis);
        // The failed batch was dropped, to be read again from Kafka; the restarts tell the rest.
        failingSinceMillis.remove(table);
    }

    /** Tables whose current batch has not been written yet after a failed attempt, and for how long. */
    public Map<String, Long> failingMillis(long nowEpochMillis) {
        Map<String, Long> failing = new java.util.TreeMap<>();
        failingSinceMillis.forEach((table, since) -> failing.put(table, Math.max(0, nowEpochMillis - since)));
        return failing;
    }

    /** Restarts after unexpected failures per table within the health window. */
    public Map<String, Integer> recentRestarts(long nowEpochMillis) {
        return recentRestarts.within(nowEpochMillis);
    }

    void undecodable(String table) {
        undecodable.computeIfAbsent(table, t -> new LongAdder()).increment();
    }

    public long written(String table) {
        LongAdder adder = written.get(table);
        return adder == null ? 0 : adder.sum();
    }

    public long retries(String table) {
        LongAdder adder = retries.get(table);
        return adder == null ? 0 : adder.sum();
    }

    public long restarts(String table) {
        LongAdder adder = restarts.get(table);
        return adder == null ? 0 : adder.sum();
    }

    /** Readings for the Pipeline health dashboard: rows written, retries, restarts, undecodable, per table. */
    public List<PipelineMetric> readings(String instance, long nowEpochMillis) {
        // Every table that saw traffic reports every counter, zeros included: a flat zero
        // on the dashboard says "healthy", where a missing series would say nothing.
        java.util.Set<String> tables = new java.util.TreeSet<>(written.keySet());
        tables.addAll(retries.keySet());
        tables.addAll(undecodable.keySet());
        tables.addAll(restarts.keySet());
        List<PipelineMetric> readings = new ArrayList<>();
        for (String table : tables) {
            readings.add(reading(nowEpochMillis, instance, "sink_rows_written", table, written(table)));
            readings.add(reading(nowEpochMillis, instance, "sink_retries", table, retries(table)));
            readings.add(reading(nowEpochMillis, instance, "sink_restarts", table, restarts(table)));
            LongAdder bad = undecodable.get(table);
            readings.add(reading(nowEpochMillis, instance, "sink_undecodable", table, bad == null ? 0 : bad.sum()));
        }
        return readings;
    }

    private static PipelineMetric reading(long now, String instance, String metric, String table, long value) {
        return new PipelineMetric(now, "detectors", instance, metric, table, value);
    }
}
