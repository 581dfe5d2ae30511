package dev.agentwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import dev.agentwatch.clickhouse.ClickHouseClients;
import dev.agentwatch.clickhouse.ClickHouseConfig;
import dev.agentwatch.clickhouse.SchemaMigrator;
import dev.agentwatch.testkit.TestServices;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Labels written to demo_labels, findings read back by run, and the report over both. */
@Timeout(180)
class ClickHouseLabelsIT {
    private ClickHouseConfig config;

    @BeforeEach
    void migrate() {
        config = ClickHouseConfig.of(TestServices.clickHouseUrl(), TestServices.uniqueDatabase("demo_labels"));
        assertThat(SchemaMigrator.of(config).migrate()).contains(30);
    }

    @Test
    void labelsRoundTripAndTheReportJoinsThemWithFindingsOfTheFleetsRunsOnly() throws Exception {
        Instant t = Instant.parse("2026-11-10T00:00:00.123456789Z");
        RunLabel loop = new RunLabel("f1", "acme", 0, "run-loop", "CLM-f1-0", "claims-agent", "3.2.0", "m", t,
                t.plusSeconds(9), true, 1_700_000_000_000L, Optional.of(FailureKind.LOOP), "lookup_policy x6", "approved", 0.91, "");
        RunLabel clean = new RunLabel("f1", "acme", 1, "run-clean", "CLM-f1-1", "claims-agent", "3.2.0", "m", t,
                t.plusSeconds(5), true, 1_700_000_000_500L, Optional.empty(), "", "denied", 0.8, "correct");
        RunLabel unfinished = new RunLabel("f1", "acme", 2, "run-hung", "TKT-f1-2", "support-agent", "1.8.4", "", t,
                t.plusSeconds(2), false, 1_700_000_001_000L, Optional.of(FailureKind.UNFINISHED_RUN), "", "", Double.NaN, "");
        RunLabel otherFleet = new RunLabel("f2", "acme", 0, "run-other", "X", "sre-agent", "0.9.1", "", t, t, true,
                1_700_000_000_000L, Optional.empty(), "", "", 0.5, "");
        try (ClickHouseLabels labels = ClickHouseLabels.open(config)) {
            List.of(loop, clean, unfinished, otherFleet).forEach(labels);
            labels.flush();
            labels.accept(loop);
            labels.flush();
            try (Client client = ClickHouseClients.create(config)) {
                // Fixture findings in the detectors' table shape (migration 003).
                client.execute("""
                        INSERT INTO findings (fingerprint, detector, severity, tenant, agent_name, agent_version, run_id,
                                              step_id, subject_id, summary, event_time, detected_at, evidence, labels)
                        VALUES ('fp1', 'loop', 'warning', 'acme', 'claims-agent', '3.2.0', 'run-loop', '', 'CLM-f1-0',
                                'lookup_policy repeated', '2026-11-10 00:00:09', fromUnixTimestamp64Milli(1700000004000), map(), map()),
                               ('fp2', 'step_budget', 'warning', 'acme', 'claims-agent', '3.2.0', 'run-loop', '', '', '',
                                '2026-11-10 00:00:09', fromUnixTimestamp64Milli(1700000003000), map(), map()),
                               ('fp3', 'loop', 'warning', 'acme', 'sre-agent', '', 'run-other', '', '', '',
                                '2026-11-10 00:00:09', fromUnixTimestamp64Milli(1700000003000), map(), map()),
                               ('fp4', 'latency_outlier', 'warning', 'acme', 'claims-agent', '', 'run-clean', '', '', '',
                                '2026-11-10 00:00:09', fromUnixTimestamp64Milli(1700000003000), map(), map()),
                               ('fp5', 'error_rate_spike', 'error', 'acme', 'claims-agent', '', '', '', '', '',
                                '2026-11-10 00:00:09', fromUnixTimestamp64Milli(1700000003000), map(), map()),
                               ('fp6', 'loop', 'warning', 'globex', 'claims-agent', '', 'run-loop', '', '', '',
                                '2026-11-10 00:00:09', fromUnixTimestamp64Milli(1700000003000), map(), map())""")
                        .get(60, TimeUnit.SECONDS).close();
            }

            List<RunLabel> read = labels.labels("acme", "f1");
            assertThat(read).as("written twice, read once with FINAL").containsExactly(loop, clean, unfinished);

            List<DetectedFinding> findings = labels.findings("acme", "f1");
            assertThat(findings).extracting(DetectedFinding::detector, DetectedFinding::runId).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("loop", "run-loop"),
                    org.assertj.core.groups.Tuple.tuple("step_budget", "run-loop"),
                    org.assertj.core.groups.Tuple.tuple("latency_outlier", "run-clean"),
                    org.assertj.core.groups.Tuple.tuple("error_rate_spike", ""));

            DemoReport report = DemoReport.of(read, findings, 5760);
            DemoReport.KindRow loopRow = report.kind(FailureKind.LOOP).orElseThrow();
            assertThat(loopRow.recall()).isEqualTo(1.0);
            assertThat(loopRow.medianMillisToDetection()).hasValue(4_000);
            assertThat(report.kind(FailureKind.UNFINISHED_RUN).orElseThrow().recall()).isZero();
            assertThat(report.cleanRunsFlagged()).isEqualTo(1);
            assertThat(report.agentLevelFindings()).isEqualTo(1);

            assertThat(labels.findingsByDetector("acme", 0)).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                    "loop", 2L, "step_budget", 1L, "latency_outlier", 1L, "error_rate_spike", 1L));
            assertThat(labels.findingsByDetector("acme", 1_700_000_003_500L)).as("detected since")
                    .containsExactlyEntriesOf(java.util.Map.of("loop", 1L));
            assertThat(labels.agentLevelFindings("acme", 0)).singleElement().asString()
                    .startsWith("error_rate_spike claims-agent at 2026-11-10 00:00:09");
            assertThat(labels.runsAssembled("acme", "f1")).as("no runs table rows yet").isZero();
            assertThat(labels.outcomesReconciled("acme", "f1")).isZero();
        }
    }

    @Test
    void quotingKeepsAStringAStringLiteral() {
        assertThat(ClickHouseLabels.quote("a'b\\c")).isEqualTo("'a\\'b\\\\c'");
    }
}
