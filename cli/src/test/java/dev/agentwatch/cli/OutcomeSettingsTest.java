package dev.agentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentwatch.detectors.outcomes.OutcomeReconciliationConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeSettingsTest {
    @Test
    void theBundledDefaultsAreTheReconciliationDefaults() {
        OutcomeReconciliationConfig config = OutcomeSettings.from(Settings.load(null, Map.of()));

        assertThat(config).isEqualTo(OutcomeReconciliationConfig.defaults());
    }

    @Test
    void readsExpectationWindowsAndNumbersFromTheEnvironment() {
        OutcomeReconciliationConfig config = OutcomeSettings.from(Settings.load(null, Map.of(
                "AGENTWATCH_OUTCOMES_EXPECTED_WINDOWS", "claims-agent=72h, support-agent=PT30M, refunds=7d",
                "AGENTWATCH_OUTCOMES_AUDIT_SHARE", "0.1")));

        assertThat(config.expectedOutcomeWindows()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "claims-agent", Duration.ofHours(72), "support-agent", Duration.ofMinutes(30),
                "refunds", Duration.ofDays(7)));
        assertThat(config.auditShare()).isEqualTo(0.1);
    }

    @Test
    void aBadValueNamesTheSettingAndHowToWriteIt() {
        assertThatThrownBy(() -> OutcomeSettings.from(Settings.load(null,
                Map.of("AGENTWATCH_OUTCOMES_EXPECTED_WINDOWS", "claims-agent=three days"))))
                .hasMessageContaining("outcomes.expected.windows").hasMessageContaining("72h");
        assertThatThrownBy(() -> OutcomeSettings.from(Settings.load(null,
                Map.of("AGENTWATCH_OUTCOMES_AUDIT_SHARE", "5%"))))
                .hasMessageContaining("outcomes.audit.share");
    }
}
