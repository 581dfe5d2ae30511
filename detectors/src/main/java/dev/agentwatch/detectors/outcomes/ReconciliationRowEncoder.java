package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.clickhouse.RowEncoder;
import dev.agentwatch.clickhouse.RowOutput;
import dev.agentwatch.model.Reconciliation;
import java.util.List;

/** {@link Reconciliation} as a row of the {@code outcome_reconciliations} table (migration 010). Stateless. */
public final class ReconciliationRowEncoder implements RowEncoder<Reconciliation> {
    private static final List<String> COLUMNS = List.of(
            "reconciliation_id", "tenant", "agent_name", "agent_version", "run_id", "subject_id", "outcome_id", "source",
            "matched_by", "verdict", "actual_value", "truth", "claimed_outcome", "claim", "run_status", "judge_score",
            "judge_call", "mismatch", "judge_agreement", "effective", "run_revision", "run_closed_at",
            "outcome_observed_at", "reconciled_at", "version");

    @Override
    public String table() {
        return "outcome_reconciliations";
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public void encode(Reconciliation row, RowOutput out) {
        out.string(row.reconciliationId())
                .string(row.tenant())
                .string(row.agentName())
                .string(row.agentVersion())
                .string(row.runId())
                .string(row.subjectId())
                .string(row.outcomeId())
                .string(row.source())
                .string(row.matchedBy().label())
                .string(row.verdict().label())
                .string(row.actualValue())
                .string(row.truth().label())
                .string(row.claimedOutcome())
                .string(row.claim().label())
                .string(row.runStatus() == null ? "" : row.runStatus().label())
                .float64(row.judgeScore())
                .string(row.judgeCall().label())
                .string(row.mismatch().label())
                .string(row.judgeAgreement().label())
                .bool(row.effective())
                .int64(row.runRevision())
                .dateTime64Millis(row.runClosedAtEpochMillis())
                .dateTime64Millis(row.outcomeObservedEpochMillis())
                .dateTime64Millis(row.reconciledAtEpochMillis())
                .int64(row.version());
    }
}
