package dev.agentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Severity;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertFactoryTest {
    private static final long NOW = Instant.parse("2026-11-29T10:00:00Z").toEpochMilli();
    private final AlertFactory factory = new AlertFactory(new LinkTemplates(
            "http://localhost:3000/d/agentwatch-agent?var-run_id={run_id}", "http://localhost:3000/d/agents?var-agent={agent}"));

    @Test
    void labelsARunFindingWithDetectorSeverityTenantAgentRunAndItsOwnLabels() {
        Alert alert = factory.alertOf(TestFindings.runFinding("fp-1", "swallowed_tool_error", Severity.CRITICAL, "acme",
                "4bf92f3577b34da6a3ce929d0e0e4736", NOW - 2000), NOW);

        assertThat(alert.labels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "alertname", "swallowed_tool_error", "severity", "critical", "tenant", "acme", "agent", "claims-agent",
                "agent_version", "2.1.0", "run_id", "4bf92f3577b34da6a3ce929d0e0e4736", "team", "claims"));
        assertThat(alert.fingerprint()).isEqualTo("fp-1");
        assertThat(alert.startsAtEpochMillis()).isEqualTo(NOW - 2000);
        assertThat(alert.lastSeenEpochMillis()).isEqualTo(NOW);
    }

    @Test
    void annotatesWithSummaryEvidenceAndALinkToTheRun() {
        Alert alert = factory.alertOf(TestFindings.runFinding("fp-1", "swallowed_tool_error", Severity.CRITICAL, "acme",
                "4bf92f3577b34da6a3ce929d0e0e4736", NOW), NOW);

        assertThat(alert.annotations())
                .containsEntry("summary", "swallowed_tool_error on run 4bf92f3577b34da6a3ce929d0e0e4736")
                .containsEntry("evidence", "error_type=TimeoutException, tool=check_coverage")
                .containsEntry("links", "http://localhost:3000/d/agentwatch-agent?var-run_id=4bf92f3577b34da6a3ce929d0e0e4736")
                .containsEntry("finding_fingerprint", "fp-1")
                .containsEntry("subject_id", "CLAIM-1001");
        assertThat(alert.generatorUrl()).isEqualTo(alert.annotations().get("links"));
    }

    @Test
    void agentLevelFindingsHaveNoRunIdAndLinkToTheAgent() {
        Alert alert = factory.alertOf(TestFindings.agentFinding("fp-2", "error_rate", Severity.WARNING, "acme", NOW, Map.of()), NOW);

        assertThat(alert.labels()).doesNotContainKey("run_id");
        assertThat(alert.generatorUrl()).isEqualTo("http://localhost:3000/d/agents?var-agent=claims-agent");
    }

    @Test
    void aFindingLabelCannotReplaceTheTenantOrAnotherReservedLabel() {
        Finding sneaky = new Finding("fp-3", "tool_loop", Severity.INFO, "acme", "a", "", "", "", "", "s", 0, NOW, Map.of(),
                Map.of("tenant", "globex", "severity", "critical", "team", "claims"));

        assertThat(factory.alertOf(sneaky, NOW).labels())
                .containsEntry("tenant", "acme").containsEntry("severity", "info").containsEntry("team", "claims")
                .doesNotContainKey("agent_version");
    }

    @Test
    void readsResolutionAndExplicitEndsFromEvidence() {
        Finding cleared = TestFindings.resolved(TestFindings.agentFinding("fp", "error_rate", Severity.ERROR, "acme", NOW, Map.of()));
        assertThat(cleared.announcesResolution()).isTrue();
        assertThat(factory.alertOf(cleared, NOW).resolvedAtEpochMillis()).isEqualTo(NOW);

        Finding windowed = TestFindings.agentFinding("fp", "error_rate", Severity.ERROR, "acme", NOW,
                Map.of("ends_at", "2026-11-29T10:05:00Z"));
        assertThat(factory.alertOf(windowed, NOW).endsAtEpochMillis()).isEqualTo(NOW + 300_000);
        Finding millis = TestFindings.agentFinding("fp", "error_rate", Severity.ERROR, "acme", NOW,
                Map.of("ends_at", String.valueOf(NOW + 60_000)));
        assertThat(factory.alertOf(millis, NOW).endsAtEpochMillis()).isEqualTo(NOW + 60_000);
    }

    @Test
    void refusesAnUnreadableEndsAt() {
        Finding bad = TestFindings.agentFinding("fp", "error_rate", Severity.ERROR, "acme", NOW, Map.of("ends_at", "soon"));
        assertThatThrownBy(() -> factory.alertOf(bad, NOW)).hasMessageContaining("ends_at must be an ISO-8601 instant");
    }
}
