package dev.agentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentwatch.demo.AgentKind;
import dev.agentwatch.demo.FailureKind;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    @Test
    void withoutOptionsTheDemoRunsTheWholeFleetForNinetySeconds() {
        DemoOptions options = DemoOptions.parse(List.of());

        assertThat(options).isEqualTo(DemoOptions.defaults());
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.agents()).containsExactly(AgentKind.values());
        assertThat(options.dataDir()).isEqualTo(Path.of(".agentwatch", "demo"));
        assertThat(options.outcomeDrain()).as("five simulated days at 17280x").isEqualTo(Duration.ofSeconds(25));
        assertThat(options.collector()).isEmpty();
    }

    @Test
    void optionsOverrideTheDefaults() {
        DemoOptions options = DemoOptions.parse(List.of("--duration", "2m", "--rate", "25", "--agents", "sre,claims",
                "--failures", "none,loop=0.3", "--seed", "7", "--compression", "86400", "--keep-running", "--keep-data",
                "--data-dir", "/tmp/d", "--config", "ignored.properties"));

        assertThat(options.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.ratePerSecond()).isEqualTo(25);
        assertThat(options.agents()).containsExactly(AgentKind.SRE, AgentKind.CLAIMS);
        assertThat(options.failures().rate(FailureKind.LOOP)).isEqualTo(0.3);
        assertThat(options.failures().rate(FailureKind.POLICY_VIOLATION)).isZero();
        assertThat(options.seed()).isEqualTo(7);
        assertThat(options.compression()).isEqualTo(86_400);
        assertThat(options.keepRunning()).isTrue();
        assertThat(options.keepData()).isTrue();
        assertThat(options.dataDir()).isEqualTo(Path.of("/tmp/d"));
    }

    @Test
    void anExternalCollectorNeedsAKey() {
        DemoOptions options = DemoOptions.parse(List.of("--collector", "http://10.0.0.5:4318", "--api-key", "k",
                "--tenant", "acme"));

        assertThat(options.collector()).contains(URI.create("http://10.0.0.5:4318"));
        assertThat(options.apiKey()).contains("k");
        assertThat(options.tenant()).contains("acme");
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--collector", "http://10.0.0.5:4318")))
                .hasMessageContaining("--collector needs --api-key");
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--collector", "http://x:4318", "--api-key", "k",
                "--keep-running"))).hasMessageContaining("--keep-running");
    }

    @Test
    void badOptionsAreRefusedWithWhatToFix() {
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--rate", "fast"))).hasMessage("--rate needs a number, got 'fast'");
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--rate", "0"))).hasMessageContaining("--rate must be within");
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--duration", "soon"))).hasMessageContaining("duration 'soon'");
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--duration"))).hasMessage("--duration needs a value");
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--agents", "pirate"))).hasMessageContaining("unknown agent 'pirate'");
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--failures", "gremlins=0.1")))
                .hasMessageContaining("unknown failure kind 'gremlins'");
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--compression", "0.5"))).hasMessageContaining("--compression");
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--bogus", "1"))).hasMessage("unknown option --bogus");
        assertThatThrownBy(() -> DemoOptions.parse(List.of("--keep-runing"))).as("last, with no value after it")
                .hasMessage("unknown option --keep-runing");
        assertThatThrownBy(() -> DemoOptions.parse(List.of("now"))).hasMessage("unexpected argument 'now'");
    }

    @Test
    void theUsageNamesEveryOption() {
        assertThat(DemoOptions.usage()).contains("--duration", "--rate", "--agents", "--failures", "--seed",
                "--compression", "--keep-running", "--keep-data", "--data-dir", "--collector", "--api-key", "--tenant",
                "--config");
        for (FailureKind kind : FailureKind.values()) {
            assertThat(DemoOptions.usage()).contains(kind.label());
        }
    }
}
