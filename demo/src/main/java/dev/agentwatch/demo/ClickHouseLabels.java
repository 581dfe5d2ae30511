package dev.agentwatch.demo;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import dev.agentwatch.clickhouse.ClickHouseBatchWriter;
import dev.agentwatch.clickhouse.ClickHouseClients;
import dev.agentwatch.clickhouse.ClickHouseConfig;
import dev.agentwatch.clickhouse.ClickHouseWriteException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's ClickHouse side: writes run labels to {@code demo_labels} in batches (a fleet label
 * sink), and reads labels and the {@code findings} on the fleet's runs back for
 * {@link DemoReport}. The database must be migrated ({@code SchemaMigrator}). A failed batch is
 * kept and retried with the next one; rows written twice collapse under FINAL. Not thread-safe.
 */
public final class ClickHouseLabels implements Consumer<RunLabel>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseLabels.class);
    private static final int BATCH_ROWS = 1000;

    private final Client client;
    private final ClickHouseBatchWriter<RunLabel> writer;
    private final List<RunLabel> buffer = new ArrayList<>();

    private ClickHouseLabels(Client client) {
        this.client = client;
        this.writer = new ClickHouseBatchWriter<>(client, new LabelRowEncoder());
    }

    public static ClickHouseLabels open(ClickHouseConfig config) {
        return new ClickHouseLabels(ClickHouseClients.create(Objects.requireNonNull(config, "config")));
    }

    /** Buffers the label; writes a batch every {@value #BATCH_ROWS} labels. */
    @Override
    public void accept(RunLabel label) {
        buffer.add(label);
        if (buffer.size() >= BATCH_ROWS) {
            flush();
        }
    }

    /** Writes what is buffered; on failure keeps it for the next flush and says so. */
    public void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        try {
            writer.write(List.copyOf(buffer));
            buffer.clear();
        } catch (ClickHouseWriteException e) {
            LOG.warn("demo labels not written yet rows={} reason={}", buffer.size(), e.getMessage());
        }
    }

    /** Every label of {@code fleetId} for {@code tenant}. */
    public List<RunLabel> labels(String tenant, String fleetId) {
        List<RunLabel> labels = new ArrayList<>();
        for (GenericRecord row : client.queryAll("""
                SELECT tenant, fleet_id, run_id, run_index, subject_id, agent_name, agent_version, decision_model,
                       failure, detail, finished, toUnixTimestamp64Nano(sim_start) AS sim_start_ns,
                       toUnixTimestamp64Nano(sim_end) AS sim_end_ns, toUnixTimestamp64Milli(emitted_at) AS emitted_ms,
                       claimed_outcome, judge_score, truth_verdict
                FROM demo_labels FINAL WHERE tenant = %s AND fleet_id = %s ORDER BY run_index"""
                .formatted(quote(tenant), quote(fleetId)))) {
            String failure = row.getString("failure");
            labels.add(new RunLabel(row.getString("fleet_id"), row.getString("tenant"), row.getLong("run_index"),
                    row.getString("run_id"), row.getString("subject_id"), row.getString("agent_name"),
                    row.getString("agent_version"), row.getString("decision_model"),
                    instant(row.getLong("sim_start_ns")), instant(row.getLong("sim_end_ns")), row.getBoolean("finished"),
                    row.getLong("emitted_ms"),
                    failure.equals("none") ? Optional.empty() : Optional.of(FailureKind.ofLabel(failure)),
                    row.getString("detail"), row.getString("claimed_outcome"), row.getDouble("judge_score"),
                    row.getString("truth_verdict")));
        }
        return labels;
    }

    /** Findings of {@code tenant} on the runs of {@code fleetId}, plus the tenant's agent-level findings. */
    public List<DetectedFinding> findings(String tenant, String fleetId) {
        List<DetectedFinding> findings = new ArrayList<>();
        for (GenericRecord row : client.queryAll("""
                SELECT detector, run_id, toUnixTimestamp64Milli(detected_at) AS detected_ms
                FROM findings FINAL
                WHERE NOT resolved AND tenant = %1$s AND (run_id = '' OR run_id IN
                      (SELECT run_id FROM demo_labels FINAL WHERE tenant = %1$s AND fleet_id = %2$s))"""
                .formatted(quote(tenant), quote(fleetId)))) {
            findings.add(new DetectedFinding(row.getString("detector"), row.getString("run_id"), row.getLong("detected_ms")));
        }
        return findings;
    }

    /** Findings of {@code tenant} detected at or after {@code sinceEpochMillis} (wall clock), by detector. */
    public Map<String, Long> findingsByDetector(String tenant, long sinceEpochMillis) {
        Map<String, Long> counts = new TreeMap<>();
        for (GenericRecord row : client.queryAll("""
                SELECT detector, count() AS n FROM findings FINAL
                WHERE NOT resolved AND tenant = %s AND detected_at >= fromUnixTimestamp64Milli(toInt64(%d))
                GROUP BY detector""".formatted(quote(tenant), sinceEpochMillis))) {
            counts.put(row.getString("detector"), row.getLong("n"));
        }
        return counts;
    }

    /** How many runs of {@code fleetId} the detectors have assembled and written to {@code runs}. Flushes labels first. */
    public long runsAssembled(String tenant, String fleetId) {
        flush();
        return count("""
                SELECT count() FROM runs FINAL WHERE tenant = %1$s AND run_id IN
                      (SELECT run_id FROM demo_labels FINAL WHERE tenant = %1$s AND fleet_id = %2$s)"""
                .formatted(quote(tenant), quote(fleetId)));
    }

    /** How many outcomes on the runs of {@code fleetId} have been joined to their runs. Flushes labels first. */
    public long outcomesReconciled(String tenant, String fleetId) {
        flush();
        return count("""
                SELECT uniqExact(outcome_id) FROM outcome_reconciliations FINAL WHERE tenant = %1$s AND run_id IN
                      (SELECT run_id FROM demo_labels FINAL WHERE tenant = %1$s AND fleet_id = %2$s)"""
                .formatted(quote(tenant), quote(fleetId)));
    }

    /** One line per agent-level finding (no run id) of {@code tenant} detected since {@code sinceEpochMillis}. */
    public List<String> agentLevelFindings(String tenant, long sinceEpochMillis) {
        List<String> lines = new ArrayList<>();
        for (GenericRecord row : client.queryAll("""
                SELECT detector, agent_name, toString(event_time) AS at, summary FROM findings FINAL
                WHERE NOT resolved AND tenant = %s AND run_id = '' AND detected_at >= fromUnixTimestamp64Milli(toInt64(%d))
                ORDER BY event_time""".formatted(quote(tenant), sinceEpochMillis))) {
            lines.add(row.getString("detector") + " " + row.getString("agent_name") + " at " + row.getString("at")
                    + " (simulated): " + row.getString("summary"));
        }
        return lines;
    }

    private long count(String query) {
        List<GenericRecord> rows = client.queryAll(query);
        return rows.isEmpty() ? 0 : rows.getFirst().getLong(1);
    }

    /** The detection report of fleet {@code fleetId}: its labels joined with the findings on its runs. */
    public DemoReport report(String tenant, String fleetId, double compression) {
        flush();
        return DemoReport.of(labels(tenant, fleetId), findings(tenant, fleetId), compression);
    }

    /** Flushes and closes the client. */
    @Override
    public void close() {
        flush();
        if (!buffer.isEmpty()) {
            LOG.warn("demo labels lost at close rows={}", buffer.size());
        }
        client.close();
    }

    /** A ClickHouse string literal. */
    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }
}
