package dev.agentwatch.detectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.agentwatch.model.PipelineMetric;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectorMetricsTest {

    @Test
    void readingsNameEachCounterByItsNounAndOutcomeWithItsTagAsTheReason() {
        DetectorMetrics metrics = new DetectorMetrics();
        metrics.increment(DetectorMetrics.RUNS_CLOSED, "inactivity");
        metrics.increment(DetectorMetrics.RUNS_CLOSED, "inactivity");
        metrics.increment(DetectorMetrics.RUNS_CLOSED, "root_ended");
        metrics.add(DetectorMetrics.DETECTOR_FAILED, "loop", 0);
        metrics.increment(DetectorMetrics.RECORDS_DEAD_LETTERED, "undecodable_step");

        assertThat(metrics.readings("host-1", 42L))
                .allSatisfy(reading -> {
                    assertThat(reading.component()).isEqualTo("detectors");
                    assertThat(reading.instance()).isEqualTo("host-1");
                    assertThat(reading.timeEpochMillis()).isEqualTo(42L);
                })
                .extracting(PipelineMetric::metric, PipelineMetric::reason, PipelineMetric::value)
                .containsExactlyInAnyOrder(
                        tuple("runs_closed", "inactivity", 2.0),
                        tuple("runs_closed", "root_ended", 1.0),
                        tuple("detector_failed", "loop", 0.0),
                        tuple("records_dead_lettered", "undecodable_step", 1.0));
    }

    @Test
    void startsEveryCounterTheRunAssemblerKeepsAndEachDetectorsFailuresAtZero() {
        DetectorMetrics metrics = DetectorMetrics.startingAtZero(List.of("loop", "swallowed_error"), List.of("swallowed_error"));

        assertThat(metrics.readings("host-1", 42L)).allSatisfy(reading -> assertThat(reading.value()).isZero())
                .extracting(PipelineMetric::metric, PipelineMetric::reason)
                .contains(tuple("runs_closed", "root_ended"), tuple("runs_closed", "inactivity"),
                        tuple("steps_not_kept", "max_steps"), tuple("steps_not_kept", "max_step_bytes"),
                        tuple("steps_late", "after_close"), tuple("detector_failed", "loop"),
                        tuple("detector_failed", "swallowed_error"), tuple("findings_resolved", "swallowed_error"),
                        tuple("findings_not_kept", "max_findings"), tuple("findings_not_kept", "max_finding_bytes"))
                .doesNotContain(tuple("findings_resolved", "loop"));
        metrics.increment(DetectorMetrics.RUNS_CLOSED, "inactivity");
        assertThat(metrics.count(DetectorMetrics.RUNS_CLOSED, "inactivity")).isEqualTo(1);
        assertThat(metrics.total(DetectorMetrics.RUNS_CLOSED)).isEqualTo(1);
    }
}
