package dev.agentwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetConfigTest {

    @Test
    void flagsOverrideTheDefaults() {
        FleetConfig config = FleetConfig.parse(new String[] {"--api-key", "k", "--seed", "7", "--rate", "50",
                "--agents", "claims,sre", "--duration", "90s", "--compression", "1440", "--failures", "none,loop=0.2",
                "--no-outcomes", "--collector", "http://10.0.0.5:4318", "--tenant", "acme"});

        assertThat(config.seed()).isEqualTo(7);
        assertThat(config.ratePerSecond()).isEqualTo(50);
        assertThat(config.agents()).containsExactly(AgentKind.CLAIMS, AgentKind.SRE);
        assertThat(config.duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.failures().rate(FailureKind.LOOP)).isEqualTo(0.2);
        assertThat(config.failures().rate(FailureKind.WRONG_DECISION)).isZero();
        assertThat(config.postOutcomes()).isFalse();
        assertThat(config.outcomeDrain()).isZero();
        assertThat(config.toString()).doesNotContain("=k,").contains("apiKey=***");
    }

    @Test
    void badInputIsRefusedWithWhatToFix() {
        assertThatThrownBy(() -> FleetConfig.parse(new String[] {})).hasMessageContaining("--api-key is required");
        assertThatThrownBy(() -> FleetConfig.parse(new String[] {"--api-key", "k", "--rate", "-1"})).hasMessageContaining("--rate");
        assertThatThrownBy(() -> FleetConfig.parse(new String[] {"--api-key", "k", "--agents", "pirate"}))
                .hasMessageContaining("unknown agent 'pirate'");
        assertThatThrownBy(() -> FleetConfig.parse(new String[] {"--api-key", "k", "--duration", "soon"}))
                .hasMessageContaining("duration 'soon'");
        assertThatThrownBy(() -> FleetConfig.parse(new String[] {"--api-key", "k", "--collector", "ftp://x"}))
                .hasMessageContaining("--collector");
        assertThatThrownBy(() -> FleetConfig.parse(new String[] {"--api-key", "k", "--bogus", "1"})).hasMessageContaining("unknown flag");
        assertThatThrownBy(() -> FleetConfig.parse(new String[] {"--api-key"})).hasMessageContaining("needs a value");
    }

    @Test
    void theFailureMixRefusesRatesThatCannotBe() {
        assertThatThrownBy(() -> FailureMix.parse("loop=2")).hasMessageContaining("within 0..1");
        assertThatThrownBy(() -> FailureMix.parse("none,loop=0.6,cost_spike=0.6")).hasMessageContaining("more than 1");
        assertThatThrownBy(() -> FailureMix.parse("gremlins=0.1")).hasMessageContaining("unknown failure kind");
        assertThat(FailureMix.parse("").rates()).isEqualTo(FailureMix.defaults().rates());
        assertThat(FailureMix.parse("none").rates()).isEmpty();
    }

    @Test
    void drainCoversTheLongestOutcomeDelayInWallTime() {
        FleetConfig config = FleetConfig.defaults("k");
        assertThat(config.outcomeDrain()).isEqualTo(Duration.ofNanos(Math.round(
                RunPlanner.maxOutcomeDelay().toNanos() / config.compression())));
        assertThat(config.agents()).containsExactlyElementsOf(List.of(AgentKind.values()));
    }
}
