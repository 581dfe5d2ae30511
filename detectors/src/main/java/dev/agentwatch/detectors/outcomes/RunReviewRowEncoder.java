package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.clickhouse.RowEncoder;
import dev.agentwatch.clickhouse.RowOutput;
import dev.agentwatch.model.RunReview;
import java.util.List;

/** {@link RunReview} as a row of the {@code run_reviews} table (migration 011). Stateless. */
public final class RunReviewRowEncoder implements RowEncoder<RunReview> {
    private static final List<String> COLUMNS = List.of("tenant", "agent_name", "agent_version", "run_id", "subject_id",
            "reason", "judge_score", "judge_confidence", "run_revision", "decided_at");

    @Override
    public String table() {
        return "run_reviews";
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public void encode(RunReview review, RowOutput out) {
        out.string(review.tenant())
                .string(review.agentName())
                .string(review.agentVersion())
                .string(review.runId())
                .string(review.subjectId())
                .string(review.reason().label())
                .float64(review.judgeScore())
                .float64(review.judgeConfidence())
                .int64(review.runRevision())
                .dateTime64Millis(review.decidedAtEpochMillis());
    }
}
