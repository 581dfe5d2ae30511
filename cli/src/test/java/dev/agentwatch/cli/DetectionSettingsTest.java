package dev.agentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentwatch.detectors.DetectionConfig;
import dev.agentwatch.model.PriceTable;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectionSettingsTest {

    @Test
    void defaultsMatchTheDetectorsOwnDefaults() {
        DetectionConfig config = DetectionSettings.from(Settings.load(null, Map.of()));

        assertThat(config).isEqualTo(DetectionConfig.defaults());
    }

    @Test
    void readsBudgetsAllowListsAndTimeoutsFromTheEnvironment() {
        DetectionConfig config = DetectionSettings.from(Settings.load(null, Map.of(
                "AGENTWATCH_DETECTORS_BUDGET_AGENTS", "claims-agent=20/15/5, triage=4/4/4",
                "AGENTWATCH_DETECTORS_POLICY_ALLOWED_TOOLS", "claims-agent=check_coverage|lookup_policy",
                "AGENTWATCH_DETECTORS_POLICY_READ_ONLY_AGENTS", "triage",
                "AGENTWATCH_DETECTORS_POLICY_WRITE_TOOLS", "delete_*, issue_refund",
                "AGENTWATCH_DETECTORS_RUN_INACTIVITY_GAP_MS", "60000")));

        assertThat(config.budgets().perAgent().get("claims-agent").maxSteps()).isEqualTo(20);
        assertThat(config.budgets().perAgent().get("triage").maxModelCallsPerSubtask()).isEqualTo(4);
        assertThat(config.policy().allowedTools().get("claims-agent")).containsExactlyInAnyOrder("check_coverage",
                "lookup_policy");
        assertThat(config.policy().readOnlyAgents()).containsExactly("triage");
        assertThat(config.policy().writeTools()).containsExactlyInAnyOrder("delete_*", "issue_refund");
        assertThat(config.runs().inactivityGap()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void readsPerAgentInactivityGapsAndWantsTheMetricsGraceToCoverTheLongest() {
        DetectionConfig config = DetectionSettings.from(Settings.load(null, Map.of(
                "AGENTWATCH_DETECTORS_RUN_INACTIVITY_GAP_AGENTS", "approvals-agent=8m, batch-agent=PT90S",
                "AGENTWATCH_DETECTORS_METRICS_GRACE_MS", "600000")));

        assertThat(config.runs().inactivityGapOf("approvals-agent")).isEqualTo(Duration.ofMinutes(8));
        assertThat(config.runs().inactivityGapOf("batch-agent")).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.runs().inactivityGapOf("claims-agent")).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.runs().shortestInactivityGap()).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> DetectionSettings.from(Settings.load(null, Map.of(
                "AGENTWATCH_DETECTORS_RUN_INACTIVITY_GAP_AGENTS", "approvals-agent=30m"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("detectors.metrics.grace.ms")
                .hasMessageContaining("1800000");
        assertThatThrownBy(() -> DetectionSettings.from(Settings.load(null, Map.of(
                "AGENTWATCH_DETECTORS_RUN_INACTIVITY_GAP_AGENTS", "approvals-agent=soon"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("approvals-agent")
                .hasMessageContaining("30m");
    }

    @Test
    void readsModelPricesOverTheListPrices() {
        DetectionConfig config = DetectionSettings.from(Settings.load(null, Map.of(
                "AGENTWATCH_DETECTORS_PRICES", "gpt-4o=5/20, openai/my-fine-tune=1/2/0.5/1.5")));

        PriceTable prices = config.prices();
        assertThat(prices.find("openai", "gpt-4o-2024-08-06")).contains(PriceTable.Price.of(5, 20));
        assertThat(prices.find("openai", "my-fine-tune")).contains(new PriceTable.Price(1, 2, 0.5, 1.5));
        assertThat(prices.find("anthropic", "claude-3-5-haiku-20241022")).as("list prices stay")
                .isEqualTo(PriceTable.defaults().find("anthropic", "claude-3-5-haiku-20241022")).isPresent();
    }

    @Test
    void saysWhatToFixInABadPrice() {
        assertThatThrownBy(() -> DetectionSettings.from(Settings.load(null,
                Map.of("AGENTWATCH_DETECTORS_PRICES", "gpt-4o=5"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model=input/output")
                .hasMessageContaining("gpt-4o=5");
        assertThatThrownBy(() -> DetectionSettings.from(Settings.load(null,
                Map.of("AGENTWATCH_DETECTORS_PRICES", "gpt-4o=five/20"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gpt-4o=five/20");
        assertThatThrownBy(() -> DetectionSettings.from(Settings.load(null,
                Map.of("AGENTWATCH_DETECTORS_PRICES", "gpt-4o=-1/20"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-negative");
    }

    @Test
    void saysWhatToFixInABadBudget() {
        assertThatThrownBy(() -> DetectionSettings.from(Settings.load(null,
                Map.of("AGENTWATCH_DETECTORS_BUDGET_AGENTS", "claims-agent=20"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agent=steps/model_calls/per_subtask");
        assertThatThrownBy(() -> DetectionSettings.from(Settings.load(null,
                Map.of("AGENTWATCH_DETECTORS_METRICS_GRACE_MS", "1000"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("detectors.metrics.grace.ms");
    }
}
