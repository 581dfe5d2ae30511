package dev.agentwatch.detectors.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.model.PipelineMetric;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static PipelineMetric reading(String metric, String reason, double value) {
        return new PipelineMetric(42L, "detectors", "host-1", metric, reason, value);
    }

    @Test
    void countersEndInTotalAndEachMetricIsTypedOnceBeforeItsSeries() {
        String text = PrometheusText.format(List.of(reading("runs_closed", "root_ended", 12), reading("consumer_lag",
                "agentwatch-runs", 3), reading("runs_closed", "inactivity", 2), reading("steps_normalized", "", 40)));

        assertThat(text).isEqualTo("""
                # TYPE agentwatch_detectors_runs_closed_total counter
                agentwatch_detectors_runs_closed_total{reason="root_ended"} 12
                agentwatch_detectors_runs_closed_total{reason="inactivity"} 2
                # TYPE agentwatch_detectors_consumer_lag gauge
                agentwatch_detectors_consumer_lag{reason="agentwatch-runs"} 3
                # TYPE agentwatch_detectors_steps_normalized_total counter
                agentwatch_detectors_steps_normalized_total 40
                """);
    }

    @Test
    void aNameOutsideTheFormatsAlphabetIsMadeValid() {
        assertThat(PrometheusText.format(List.of(reading("sink.rows-written", "", 1))))
                .contains("agentwatch_detectors_sink_rows_written_total 1\n");
    }

    @Test
    void escapesLabelValuesAndKeepsFractions() {
        assertThat(PrometheusText.format(List.of(reading("spans_dead_lettered", "bad \"quote\" \\ back\nslash", 0.5))))
                .contains("{reason=\"bad \\\"quote\\\" \\\\ back\\nslash\"} 0.5\n");
    }
}
