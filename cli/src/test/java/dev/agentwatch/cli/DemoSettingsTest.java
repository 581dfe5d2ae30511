package dev.agentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentwatch.clickhouse.ClickHouseConfig;
import dev.agentwatch.detectors.DetectionConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoSettingsTest {

    @Test
    void theInactivityGapIsThreeWallSecondsOfCompressedTimeAndNeverBelowTheDefault() {
        assertThat(DemoSettings.inactivityGap(17_280)).isEqualTo(Duration.ofMillis(3_000L * 17_280));
        assertThat(DemoSettings.inactivityGap(1)).isEqualTo(Duration.ofMinutes(5));
        assertThat(DemoSettings.cooldown()).isGreaterThan(Duration.ofSeconds(2L * DemoSettings.GAP_WALL_SECONDS));
    }

    @Test
    void theTunedSettingsAreValidAndLeaveTheProductionDefaultsAlone() {
        Settings user = Settings.load(null, Map.of());
        StackConfig config = StackConfig.from(user.with(DemoSettings.tuned(DemoOptions.defaults(),
                Path.of("/tmp/demo-data"), user)));

        DetectionConfig detection = config.detectors().detection();
        assertThat(detection.runs().inactivityGap()).isEqualTo(Duration.ofMillis(51_840_000));
        assertThat(detection.runs().closedRetention()).isEqualTo(Duration.ofMillis(103_680_000));
        assertThat(detection.metricsGrace()).isGreaterThanOrEqualTo(detection.runs().inactivityGap());
        assertThat(detection.policy().readOnlyAgents()).containsExactly("sre-agent");
        assertThat(detection.policy().writeTools()).contains("restart_service", "scale_deployment", "rollback_deployment");
        assertThat(config.detectors().outcomes().judgeApprovalThreshold()).isEqualTo(0.7);
        assertThat(config.detectors().outcomes().retention()).isEqualTo(Duration.ofDays(41));
        assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/demo-data"));
        assertThat(config.detectors().applicationId()).isEqualTo("agentwatch-detectors-demo");

        assertThat(DetectionSettings.from(user)).as("the defaults of 'up'").isEqualTo(DetectionConfig.defaults());
        StackConfig up = StackConfig.from(user);
        assertThat(up.clickHouse().batchRows()).as("the sinks' batches of 'up'").isEqualTo(ClickHouseConfig.DEFAULT_BATCH_ROWS);
        assertThat(up.clickHouse().batchAge()).isEqualTo(ClickHouseConfig.DEFAULT_BATCH_AGE);
        assertThat(up.clickHouse().findingsBatchAge()).isEqualTo(ClickHouseConfig.DEFAULT_FINDINGS_BATCH_AGE);
    }

    @Test
    void outcomesWaitForRunsAsLongAsTheSimulatedSpanAndTheLongestOutcomeDelay() {
        DemoOptions d = DemoOptions.defaults();
        DemoOptions longer = new DemoOptions(Duration.ofSeconds(30), 50, d.agents(), d.failures(), 1, 86_400, false,
                false, d.dataDir(), d.collector(), d.apiKey(), d.tenant());

        // 90 s + 25 s of outcome drain at a day per 5 s, half as much again, plus 5 + 1 days.
        assertThat(DemoSettings.outcomeRetentionDays(d)).isEqualTo(41);
        DemoOptions brief = new DemoOptions(Duration.ofSeconds(10), 10, d.agents(), d.failures(), 1, 17_280, false,
                false, d.dataDir(), d.collector(), d.apiKey(), d.tenant());
        assertThat(DemoSettings.outcomeRetentionDays(brief)).as("never below the default").isEqualTo(30);
        // 30 s + 10 s of cooldown at a day per second, half as much again for a late cooldown, plus 5 + 1 days.
        assertThat(DemoSettings.outcomeRetentionDays(longer)).isEqualTo(66);
    }

    @Test
    void theDemoNeverWipesTheDataOfUp(@TempDir Path dir) throws Exception {
        Path up = dir.resolve("data");
        Files.createDirectories(up);
        Files.writeString(up.resolve("keep-me"), "x");
        Settings user = Settings.load(null, Map.of("AGENTWATCH_DATA_DIR", up.toString()));

        assertThatThrownBy(() -> DemoCommand.prepareDataDir(options(dir), user))
                .hasMessageContaining("overlaps the data of 'up'").hasMessageContaining("--data-dir");
        assertThatThrownBy(() -> DemoCommand.prepareDataDir(options(up.resolve("demo")), user))
                .hasMessageContaining("overlaps");
        assertThat(up.resolve("keep-me")).exists();
    }

    @Test
    void theDemosOwnDataIsWipedUnlessKept(@TempDir Path dir) throws Exception {
        Path demo = dir.resolve("demo");
        Files.createDirectories(demo.resolve("kafka"));
        Files.writeString(demo.resolve("kafka/old"), "x");
        Settings user = Settings.load(null, Map.of("AGENTWATCH_DATA_DIR", dir.resolve("data").toString()));

        DemoOptions keep = new DemoOptions(Duration.ofSeconds(1), 1, DemoOptions.defaults().agents(),
                DemoOptions.defaults().failures(), 1, 10, false, true, demo, java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty());
        DemoCommand.prepareDataDir(keep, user);
        assertThat(demo.resolve("kafka/old")).exists();

        assertThat(DemoCommand.prepareDataDir(options(demo), user)).isEqualTo(demo);
        assertThat(demo).isEmptyDirectory();
    }

    private static DemoOptions options(Path dataDir) {
        DemoOptions d = DemoOptions.defaults();
        return new DemoOptions(d.duration(), d.ratePerSecond(), d.agents(), d.failures(), d.seed(), d.compression(),
                false, false, dataDir, d.collector(), d.apiKey(), d.tenant());
    }
}
