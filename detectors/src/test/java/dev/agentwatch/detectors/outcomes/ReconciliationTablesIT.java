package dev.agentwatch.detectors.outcomes;

import static dev.agentwatch.detectors.outcomes.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import dev.agentwatch.clickhouse.ClickHouseBatchWriter;
import dev.agentwatch.clickhouse.ClickHouseClients;
import dev.agentwatch.clickhouse.ClickHouseConfig;
import dev.agentwatch.clickhouse.SchemaMigrator;
import dev.agentwatch.model.Reconciliation;
import dev.agentwatch.model.Reconciliation.Claim;
import dev.agentwatch.model.Reconciliation.JudgeAgreement;
import dev.agentwatch.model.Reconciliation.JudgeCall;
import dev.agentwatch.model.Reconciliation.MatchedBy;
import dev.agentwatch.model.Reconciliation.Mismatch;
import dev.agentwatch.model.Reconciliation.Truth;
import dev.agentwatch.model.RunReview;
import dev.agentwatch.model.RunStatus;
import dev.agentwatch.model.Verdict;
import dev.agentwatch.testkit.TestServices;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reconciliation tables and rate views on the real ClickHouse engine. */
@Timeout(180)
class ReconciliationTablesIT {
    private Client client;

    @BeforeEach
    void migrate() {
        ClickHouseConfig config = ClickHouseConfig.of(TestServices.clickHouseUrl(),
                TestServices.uniqueDatabase("outcome_tables"));
        assertThat(SchemaMigrator.of(config).migrate()).contains(10, 11);
        client = ClickHouseClients.create(config);
    }

    @AfterEach
    void close() {
        client.close();
    }

    private static Reconciliation row(String runId, String source, Mismatch mismatch, JudgeAgreement judge,
                                      boolean effective, long version) {
        Truth truth = mismatch == Mismatch.SILENT_FAILURE ? Truth.INCORRECT : Truth.CORRECT;
        return new Reconciliation(runId + "/" + source, "acme", "claims-agent", "v1", runId, "", "o-" + runId, source,
                MatchedBy.RUN_ID, Verdict.CORRECT, "", truth, "approved", Claim.SUCCESS, RunStatus.OK,
                judge == JudgeAgreement.NO_JUDGE ? Double.NaN : 0.9,
                judge == JudgeAgreement.NO_JUDGE ? JudgeCall.NONE : JudgeCall.APPROVED, mismatch, judge, effective, 0,
                T0.toEpochMilli() + 1000, T0.toEpochMilli() + 86_400_000, T0.toEpochMilli() + 90_000_000, version);
    }

    private List<GenericRecord> query(String sql) {
        return client.queryAll(sql);
    }

    @Test
    void theRateViewCountsEffectiveOutcomesOnceAndComputesWilsonBounds() {
        List<Reconciliation> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Mismatch mismatch = i < 3 ? Mismatch.SILENT_FAILURE : Mismatch.NONE;
            JudgeAgreement judge = i < 8 ? (i < 2 ? JudgeAgreement.FALSE_APPROVAL : JudgeAgreement.AGREED)
                    : JudgeAgreement.NO_JUDGE;
            rows.add(row("r" + i, "human_review", mismatch, judge, true, 1));
        }
        // A second source on r9 that is not the effective one, and an unmatched outcome: neither counts.
        rows.add(row("r9", "customer", Mismatch.SILENT_FAILURE, JudgeAgreement.NO_JUDGE, false, 1));
        rows.add(RunReconciler.unmatched(List.of(Fixtures.outcomeForRun("o-x", "ghost", Verdict.INCORRECT, T0)), 0,
                T0.toEpochMilli()).getFirst());
        ClickHouseBatchWriter<Reconciliation> writer = new ClickHouseBatchWriter<>(client, new ReconciliationRowEncoder());
        writer.write(rows);
        // Re-delivered batch, and r5 superseded by a later version that makes it a silent failure.
        writer.write(rows);
        writer.write(List.of(row("r5", "human_review", Mismatch.SILENT_FAILURE, JudgeAgreement.AGREED, true, 2)));

        GenericRecord rate = query("SELECT * FROM outcome_rates_1h WHERE tenant = 'acme'").getFirst();
        WilsonInterval expected = WilsonInterval.of(4, 10);
        assertThat(rate.getLong("runs_with_outcome")).isEqualTo(10);
        assertThat(rate.getLong("silent_failures")).isEqualTo(4);
        assertThat(rate.getDouble("silent_failure_rate")).isCloseTo(0.4, within(1e-12));
        assertThat(rate.getDouble("silent_failure_rate_lower")).isCloseTo(expected.lower(), within(1e-9));
        assertThat(rate.getDouble("silent_failure_rate_upper")).isCloseTo(expected.upper(), within(1e-9));
        WilsonInterval agreement = WilsonInterval.of(6, 8);
        assertThat(rate.getLong("judged_runs")).isEqualTo(8);
        assertThat(rate.getLong("judge_false_approvals")).isEqualTo(2);
        assertThat(rate.getDouble("judge_agreement_rate_lower")).isCloseTo(agreement.lower(), within(1e-9));
        assertThat(rate.getDouble("judge_agreement_rate_upper")).isCloseTo(agreement.upper(), within(1e-9));
        assertThat(rate.getString("hour")).startsWith("2026-03-02 10:00:00");

        GenericRecord agent = query("SELECT * FROM outcome_rates_agent_1h WHERE tenant = 'acme'").getFirst();
        assertThat(agent.getLong("silent_failures")).isEqualTo(4);
        assertThat(query("SELECT count() AS n FROM outcome_reconciliations FINAL").getFirst().getLong("n")).isEqualTo(12);
        assertThat(query("SELECT count() AS n FROM outcome_reconciliations FINAL WHERE mismatch = 'unmatched'")
                .getFirst().getLong("n")).isEqualTo(1);
    }

    @Test
    void runReviewsKeepOneRowPerRunTheLatestRevisionWinning() {
        ClickHouseBatchWriter<RunReview> writer = new ClickHouseBatchWriter<>(client, new RunReviewRowEncoder());
        RunReview first = new RunReview("acme", "claims-agent", "v1", "r1", "claim-1", RunReview.Reason.REVIEW, 0.55, 0.1, 0,
                T0.toEpochMilli());
        RunReview revised = new RunReview("acme", "claims-agent", "v1", "r1", "claim-1", RunReview.Reason.AUDIT, 0.95, 0.9,
                1, T0.toEpochMilli() + 5000);
        writer.write(List.of(first, first));
        writer.write(List.of(revised));

        List<GenericRecord> rows = query("SELECT reason, judge_score, run_revision FROM run_reviews FINAL");
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.getString("reason")).isEqualTo("audit");
            assertThat(row.getDouble("judge_score")).isEqualTo(0.95);
        });
    }
}
