package dev.agentwatch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentwatch.clickhouse.ClickHouseConfig;
import dev.agentwatch.clickhouse.SchemaMigrator;
import dev.agentwatch.testkit.ClickHouseQueries;
import dev.agentwatch.testkit.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Pipeline health panels that chart counters ({@code pipeline_metrics} readings, cumulative
 * per instance since it started) give the real per-minute increase across a restart of the
 * instance, and sum instances, on the real schema and engine.
 */
class CounterPanelsIT {
    private static final Instant MINUTE = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
    private static String url;
    private static String database;

    @BeforeAll
    static void readings() throws Exception {
        url = TestServices.clickHouseUrl();
        database = TestServices.uniqueDatabase("counter_panels");
        SchemaMigrator.of(new ClickHouseConfig(url, database, "default", "", 10_000, Duration.ofMillis(200))).migrate();
        try (Connection connection = ClickHouseQueries.connect(url, database);
             Statement statement = connection.createStatement()) {
            // Instance a: 100, 110, restarts, 5, 15 (read twice, as at-least-once delivery may), then 18
            // in the next minute. Instance b starts in the range at 7: its first reading counts nothing.
            statement.execute("INSERT INTO pipeline_metrics VALUES "
                    + reading(0, "a", "runs_closed", "inactivity", 100) + ", "
                    + reading(10, "a", "runs_closed", "inactivity", 110) + ", "
                    + reading(20, "a", "runs_closed", "inactivity", 5) + ", "
                    + reading(30, "a", "runs_closed", "inactivity", 15) + ", "
                    + reading(30, "a", "runs_closed", "inactivity", 15) + ", "
                    + reading(40, "b", "runs_closed", "inactivity", 7) + ", "
                    + reading(50, "b", "runs_closed", "inactivity", 9) + ", "
                    + reading(70, "a", "runs_closed", "inactivity", 18) + ", "
                    + reading(0, "a", "detector_failed", "loop", 0) + ", "
                    + reading(70, "a", "detector_failed", "loop", 0));
        }
    }

    private static String reading(int seconds, String instance, String metric, String reason, double value) {
        return "(" + MINUTE.plusSeconds(seconds).toEpochMilli() + ", 'detectors', '" + instance + "', '" + metric + "', '"
                + reason + "', " + value + ")";
    }

    @Test
    void aRestartCountsFromZeroInsteadOfChartingTheWholeCountAsASpike() throws Exception {
        Map<String, Double> perMinute = perMinute("Runs closed, and steps late, repeated or past a run's caps (per minute)");

        assertThat(perMinute).containsExactly(
                Map.entry(MINUTE + " runs_closed inactivity", 10.0 + 5 + 10 + 2),
                Map.entry(MINUTE.plusSeconds(60) + " runs_closed inactivity", 3.0));
    }

    @Test
    void aCounterThatStaysAtZeroChartsZeros() throws Exception {
        assertThat(perMinute("Detector failures (per minute, by detector)")).containsExactly(
                Map.entry(MINUTE + " loop", 0.0), Map.entry(MINUTE.plusSeconds(60) + " loop", 0.0));
    }

    /** "time series" → per_minute, from the panel's query over the hour around the readings, 1-minute buckets. */
    private static Map<String, Double> perMinute(String title) throws Exception {
        JsonNode panel = Dashboards.all().stream().filter(d -> d.uid().equals("agentwatch-pipeline"))
                .flatMap(d -> d.panels().stream()).filter(p -> p.path("title").asText().equals(title)).findFirst()
                .orElseThrow(() -> new AssertionError("no panel titled " + title));
        String sql = new GrafanaMacros(MINUTE.minus(Duration.ofMinutes(30)).toEpochMilli(),
                MINUTE.plus(Duration.ofMinutes(30)).toEpochMilli(), 60, Map.of("tenant", List.of("acme")))
                .expand(panel.path("targets").get(0).path("rawSql").asText());
        Map<String, Double> perMinute = new LinkedHashMap<>();
        try (Connection connection = ClickHouseQueries.connect(url, database);
             Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                Instant time = rows.getTimestamp("time").toInstant();
                perMinute.put(time + " " + rows.getString("series"), rows.getDouble("per_minute"));
            }
        }
        return perMinute;
    }
}
