package dev.agentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {
    @Test
    void readsPrometheusStyleDurations() {
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationText.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationText.parse("2d")).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void refusesNumbersWithoutUnitsAndUnknownUnits() {
        assertThatThrownBy(() -> DurationText.parse("30")).hasMessageContaining("bad duration '30'");
        assertThatThrownBy(() -> DurationText.parse("5 minutes")).hasMessageContaining("ms, s, m, h, d, w");
        assertThatThrownBy(() -> DurationText.parse("")).hasMessageContaining("empty");
    }
}
