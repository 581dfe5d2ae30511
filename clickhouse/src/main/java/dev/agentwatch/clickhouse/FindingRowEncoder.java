package dev.agentwatch.clickhouse;

import dev.agentwatch.model.Finding;
import java.util.List;
import java.util.TreeMap;

/** {@link Finding} as a row of the {@code findings} table (migration 003). Stateless. */
public final class FindingRowEncoder implements RowEncoder<Finding> {
    private static final List<String> COLUMNS = List.of(
            "fingerprint", "detector", "severity", "tenant", "agent_name", "agent_version", "run_id", "step_id",
            "subject_id", "summary", "event_time", "detected_at", "evidence", "labels");

    @Override
    public String table() {
        return "findings";
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public void encode(Finding finding, RowOutput out) {
        out.string(finding.fingerprint())
                .string(finding.detector())
                .string(finding.severity().label())
                .string(finding.tenant())
                .string(finding.agentName())
                .string(finding.agentVersion())
                .string(finding.runId())
                .string(finding.stepId())
                .string(finding.subjectId())
                .string(finding.summary())
                .dateTime64Nanos(finding.eventEpochNanos())
                .dateTime64Millis(finding.detectedEpochMillis())
                // Sorted, so that the same finding always encodes to the same bytes.
                .stringMap(new TreeMap<>(finding.evidence()))
                .stringMap(new TreeMap<>(finding.labels()));
    }
}
