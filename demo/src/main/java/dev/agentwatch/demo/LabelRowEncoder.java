package dev.agentwatch.demo;

import dev.agentwatch.clickhouse.RowEncoder;
import dev.agentwatch.clickhouse.RowOutput;
import java.util.List;

/** A {@link RunLabel} as one row of {@code demo_labels} (migration 030). */
final class LabelRowEncoder implements RowEncoder<RunLabel> {
    private static final List<String> COLUMNS = List.of("tenant", "fleet_id", "run_id", "run_index", "subject_id",
            "agent_name", "agent_version", "decision_model", "failure", "detail", "expected_detectors", "finished",
            "sim_start", "sim_end", "emitted_at", "claimed_outcome", "judge_score", "truth_verdict");

    @Override
    public String table() {
        return "demo_labels";
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public void encode(RunLabel label, RowOutput out) {
        out.string(label.tenant())
                .string(label.fleetId())
                .string(label.runId())
                .int64(label.index())
                .string(label.subjectId())
                .string(label.agentName())
                .string(label.agentVersion())
                .string(label.decisionModel())
                .string(label.failureLabel())
                .string(label.detail())
                .stringArray(label.failure().map(k -> k.detectedBy().stream().sorted().toList()).orElse(List.of()))
                .bool(label.finished())
                .dateTime64Nanos(nanos(label.simStart()))
                .dateTime64Nanos(nanos(label.simEnd()))
                .dateTime64Millis(label.emittedAtMillis())
                .string(label.claimedOutcome())
                .float64(label.judgeScore())
                .string(label.truthVerdict());
    }

    private static long nanos(java.time.Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
