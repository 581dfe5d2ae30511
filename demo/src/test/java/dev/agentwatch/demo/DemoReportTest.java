package dev.agentwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DemoReportTest {
    private static final long EMITTED = 1_000_000L;

    @Test
    void countsInjectedDetectedRecallPrecisionAndMedianTimeToDetection() {
        List<RunLabel> labels = List.of(
                label("r1", FailureKind.LOOP), label("r2", FailureKind.LOOP), label("r3", FailureKind.LOOP),
                label("r4", null), label("r5", null), label("r6", FailureKind.WRONG_DECISION));
        List<DetectedFinding> findings = List.of(
                new DetectedFinding("loop", "r1", EMITTED + 2_000),
                new DetectedFinding("loop", "r1", EMITTED + 9_000),
                new DetectedFinding("step_budget", "r1", EMITTED + 1_000),
                new DetectedFinding("loop", "r2", EMITTED + 4_000),
                new DetectedFinding("loop", "r4", EMITTED + 3_000),
                new DetectedFinding("silent_failure", "r6", EMITTED + 60_000));

        DemoReport report = DemoReport.of(labels, findings, 100);

        DemoReport.KindRow loop = report.kind(FailureKind.LOOP).orElseThrow();
        assertThat(loop.injected()).isEqualTo(3);
        assertThat(loop.detected()).isEqualTo(2);
        assertThat(loop.recall()).isEqualTo(2.0 / 3);
        assertThat(loop.flaggedRuns()).isEqualTo(3);
        assertThat(loop.precision()).as("r4 is clean: a false positive").isEqualTo(2.0 / 3);
        assertThat(loop.medianMillisToDetection()).hasValue(3_000);

        DemoReport.KindRow wrong = report.kind(FailureKind.WRONG_DECISION).orElseThrow();
        assertThat(wrong.recall()).isEqualTo(1.0);
        assertThat(wrong.precision()).isEqualTo(1.0);
        assertThat(wrong.medianMillisToDetection()).hasValue(60_000);

        assertThat(report.cleanRuns()).isEqualTo(2);
        assertThat(report.cleanRunsFlagged()).isEqualTo(1);
        assertThat(report.detectors()).contains(
                new DemoReport.DetectorRow("loop", 4, 3, 1),
                new DemoReport.DetectorRow("step_budget", 1, 1, 0));
        assertThat(report.render()).contains("loop").contains("67%").contains("3.0 s")
                .contains("100.0 min simulated (60.0 s wall)").doesNotContain("5.0 min");
    }

    @Test
    void aSideEffectDetectorIsExplainedButDoesNotCountAsDetection() {
        DemoReport report = DemoReport.of(List.of(label("r1", FailureKind.LOOP)),
                List.of(new DetectedFinding("step_budget", "r1", EMITTED + 10)), 1);

        assertThat(report.kind(FailureKind.LOOP).orElseThrow().detected()).isZero();
        DemoReport.KindRow budget = report.kind(FailureKind.STEP_BUDGET_OVERRUN).orElseThrow();
        assertThat(budget.injected()).isZero();
        assertThat(budget.precision()).as("a loop explains a blown step budget").isEqualTo(1.0);
        assertThat(budget.recall()).isNaN();
    }

    @Test
    void aMissedLatencyOrCostSpikeIsExplainedByTheBaselinesWarmUp() {
        DemoReport missed = DemoReport.of(List.of(label("r1", FailureKind.LATENCY_SPIKE)), List.of(), 1);
        DemoReport found = DemoReport.of(List.of(label("r1", FailureKind.COST_SPIKE)),
                List.of(new DetectedFinding("cost_outlier", "r1", EMITTED)), 1);

        assertThat(missed.render()).contains("warm-up");
        assertThat(found.render()).doesNotContain("warm-up");
    }

    @Test
    void eitherSpellingOfADetectorCounts() {
        DemoReport report = DemoReport.of(List.of(label("r1", FailureKind.POLICY_VIOLATION), label("r2", FailureKind.MISSING_STEP)),
                List.of(new DetectedFinding("tool_policy", "r1", EMITTED), new DetectedFinding("missing_tool_step", "r2", EMITTED)), 1);

        assertThat(report.kind(FailureKind.POLICY_VIOLATION).orElseThrow().detected()).isEqualTo(1);
        assertThat(report.kind(FailureKind.MISSING_STEP).orElseThrow().detected()).isEqualTo(1);
    }

    @Test
    void findingsOutsideTheFleetAndAgentLevelFindingsAreSetApart() {
        DemoReport report = DemoReport.of(List.of(label("r1", null)),
                List.of(new DetectedFinding("loop", "someone-else", EMITTED), new DetectedFinding("error_rate_spike", "", EMITTED)), 1);

        assertThat(report.otherTrafficFindings()).isEqualTo(1);
        assertThat(report.agentLevelFindings()).isEqualTo(1);
        assertThat(report.cleanRunsFlagged()).isZero();
        assertThat(report.kinds()).isEmpty();
    }

    @Test
    void nothingFoundMeansZeroRecallAndNoPrecision() {
        DemoReport report = DemoReport.of(List.of(label("r1", FailureKind.TRUNCATED_OUTPUT)), List.of(), 1);
        DemoReport.KindRow row = report.kind(FailureKind.TRUNCATED_OUTPUT).orElseThrow();
        assertThat(row.recall()).isZero();
        assertThat(row.precision()).isNaN();
        assertThat(row.medianMillisToDetection()).isEmpty();
        assertThat(report.render()).contains("truncated_output").contains(" 0%");
    }

    static RunLabel label(String runId, FailureKind kind) {
        Instant t = Instant.parse("2026-11-10T00:00:00Z");
        return new RunLabel("test", "acme", 0, runId, "S-" + runId, "claims-agent", "3.2.0", "m", t, t.plusSeconds(5), true,
                EMITTED, Optional.ofNullable(kind), "", "approved", 0.9, "");
    }
}
