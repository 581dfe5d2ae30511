package dev.agentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertsCommandTest {
    private static final String CONFIG = "../alerts/examples/alerts.yaml";
    private static final String FINDING = "../alerts/examples/finding.json";

    @Test
    void dryRunShowsTheReceiversAFindingReachesAndTheirPayloadsWithoutSecrets() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AlertsCommand.run(List.of("dry-run", "--config", CONFIG, "--finding", FINDING), new PrintStream(bytes, true,
                StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(out).contains("valid (3 receivers)")
                .contains("→ receiver 'on-call-pager' (pagerduty")
                .contains("→ receiver 'acme-slack' (slack")
                .doesNotContain("→ receiver 'team-webhook'")
                .contains("\"event_action\" : \"trigger\"")
                .contains("var-run_id=4bf92f3577b34da6a3ce929d0e0e4736")
                .doesNotContain("0123456789abcdef0123456789abcdef", "XXXXXXXX");
    }

    @Test
    void helpPrintsTheUsageAndReadsNoFile() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AlertsCommand.run(List.of("dry-run", "--help"), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith(AlertsCommand.USAGE + "\n").contains("secrets masked");
    }

    @Test
    void aFileThatIsNotAFindingGetsAClearError(@TempDir Path dir) throws Exception {
        Path notAFinding = Files.writeString(dir.resolve("x.json"), "{\"detector\": \"loop\"}");
        assertThatThrownBy(() -> AlertsCommand.run(List.of("dry-run", "--config", CONFIG, "--finding", notAFinding.toString()),
                new PrintStream(new ByteArrayOutputStream())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a finding");
    }

    @Test
    void settingsWithoutAlertsConfigLeaveAlertsOffAndABadFileStopsTheStart(@TempDir Path dir) throws Exception {
        StackConfig off = StackConfig.from(Settings.load(null, java.util.Map.of()));
        assertThat(off.alerts().enabled()).isFalse();
        assertThat(off.alerts().describe(9094)).startsWith("off");

        Path bad = Files.writeString(dir.resolve("alerts.yaml"), "route: {receiver: nobody}\nreceivers: []\n");
        assertThatThrownBy(() -> StackConfig.from(Settings.load(null, java.util.Map.of("AGENTWATCH_ALERTS_CONFIG", bad.toString()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one receiver is required");
    }
}
