package dev.agentwatch.detectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentwatch.clickhouse.ClickHouseConfig;
import dev.agentwatch.topics.Topics;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SinkBatchAgeTest {
    private static final String URL = "http://127.0.0.1:8123";

    @Test
    void findingsWaitLessThanTheOtherTables() {
        ClickHouseConfig config = new ClickHouseConfig(URL, "agentwatch", "default", "", 50_000, Duration.ofSeconds(1),
                Duration.ofMillis(300));

        assertThat(Detectors.batchAge(config, Topics.FINDINGS)).isEqualTo(Duration.ofMillis(300));
        assertThat(Detectors.batchAge(config, Topics.STEPS)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Detectors.batchAge(config, Topics.RUNS)).isEqualTo(Duration.ofSeconds(1));
        assertThat(Detectors.batchAge(config, Topics.RECONCILIATIONS)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void findingsNeverWaitLongerThanTheOtherTables() {
        ClickHouseConfig quick = new ClickHouseConfig(URL, "agentwatch", "default", "", 50_000, Duration.ofMillis(200),
                Duration.ofMillis(500));

        assertThat(Detectors.batchAge(quick, Topics.FINDINGS)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void withoutItsOwnAgeTheFindingsTableTakesTheDefaultOrAShorterGeneralAge() {
        assertThat(ClickHouseConfig.of(URL, "agentwatch").findingsBatchAge())
                .isEqualTo(ClickHouseConfig.DEFAULT_FINDINGS_BATCH_AGE).isLessThan(ClickHouseConfig.DEFAULT_BATCH_AGE);
        assertThat(new ClickHouseConfig(URL, "agentwatch", "default", "", 10_000, Duration.ofMillis(200))
                .findingsBatchAge()).isEqualTo(Duration.ofMillis(200));
        assertThatThrownBy(() -> new ClickHouseConfig(URL, "agentwatch", "default", "", 10_000, Duration.ofSeconds(1),
                Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clickhouse.findings.batch.age");
    }
}
