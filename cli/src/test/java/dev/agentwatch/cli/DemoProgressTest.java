package dev.agentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.demo.FleetProgress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DemoProgressTest {

    @Test
    void showsTheBarRatesOutcomesAndFindingsByDetector() {
        FleetProgress before = progress(FleetProgress.Phase.EMITTING, 100, 900, Duration.ofSeconds(10));
        FleetProgress now = progress(FleetProgress.Phase.EMITTING, 150, 1_400, Duration.ofSeconds(15));

        List<String> lines = DemoProgress.render(now, before, new TreeMap<>(Map.of("loop", 3L, "tool_policy", 2L)));

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("0:15 / 1:00 [######..................]  25%")
                .contains("injecting failures").contains("runs 150 (10.0/s)").contains("spans 1,400 (100/s)")
                .contains("outcomes 40 posted, 20 due");
        assertThat(lines.get(1)).isEqualTo("    findings 5: loop 3, tool_policy 2");
    }

    @Test
    void theBarIsFullWhenTheFleetIsDoneAndNothingWasFoundYet() {
        FleetProgress start = progress(FleetProgress.Phase.STARTING, 0, 0, Duration.ZERO);
        FleetProgress done = progress(FleetProgress.Phase.DONE, 600, 4_000, Duration.ofSeconds(70));

        List<String> lines = DemoProgress.render(done, start, Map.of());

        assertThat(lines.get(0)).contains("[########################] 100%").contains("fleet done");
        assertThat(lines.get(1)).isEqualTo("    findings 0");
    }

    private static FleetProgress progress(FleetProgress.Phase phase, long runs, long spans, Duration elapsed) {
        return new FleetProgress(phase, runs, 0, spans, 60, 40, 0, elapsed, Duration.ofSeconds(60));
    }
}
