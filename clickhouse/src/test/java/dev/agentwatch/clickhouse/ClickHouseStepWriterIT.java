package dev.agentwatch.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Severity;
import dev.agentwatch.model.Step;
import dev.agentwatch.testkit.ClickHouseQueries;
import dev.agentwatch.testkit.TestServices;
import dev.agentwatch.testkit.TestSteps;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(180)
class ClickHouseStepWriterIT {
    private ClickHouseConfig config;

    @BeforeEach
    void migrateFreshDatabase() {
        config = ClickHouseConfig.of(TestServices.clickHouseUrl(), TestServices.uniqueDatabase("steps_writer"));
        assertThat(SchemaMigrator.of(config).migrate()).contains(1);
    }

    @Test
    void migratingAgainAppliesNothingAndKeepsTables() throws SQLException {
        assertThat(SchemaMigrator.of(config).migrate()).isEmpty();
        try (Connection connection = jdbc(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count() FROM schema_migrations FINAL")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(SchemaMigrator.bundledMigrations().size());
        }
    }

    @Test
    void writesStepsAndReadsThemBackThroughJdbc() throws SQLException {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            steps.add(i % 5 == 4 ? TestSteps.failedTool("acme", "run-" + (i / 10), i) : TestSteps.llm("acme", "run-" + (i / 10), i));
        }
        try (Client client = ClickHouseClients.create(config)) {
            long written = new ClickHouseBatchWriter<>(client, new StepRowEncoder()).write(steps);
            assertThat(written).isEqualTo(500);
        }
        try (Connection connection = jdbc(); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery(
                    "SELECT count(), countIf(status = 'error'), sum(input_tokens) FROM steps FINAL WHERE tenant = 'acme'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getLong(1)).isEqualTo(500);
                assertThat(rows.getLong(2)).isEqualTo(100);
                long expectedInput = steps.stream().mapToLong(s -> s.tokens().inputTokens()).sum();
                assertThat(rows.getLong(3)).isEqualTo(expectedInput);
            }
            try (ResultSet rows = statement.executeQuery("""
                    SELECT kind, name, error_message, tool_output_error, duration_ms, requested_tool_names,
                           evaluation_scores, toUnixTimestamp64Nano(start_time) AS start_nanos
                    FROM steps FINAL WHERE run_id = 'run-0' AND step_id = '0000000000000005'""")) {
                assertThat(rows.next()).isTrue();
                Step expected = steps.get(4);
                assertThat(rows.getString("kind")).isEqualTo("tool");
                assertThat(rows.getString("name")).isEqualTo("lookup_policy");
                assertThat(rows.getString("error_message")).isEqualTo("policy service timed out\n\nretry budget exhausted");
                assertThat(rows.getBoolean("tool_output_error")).isTrue();
                assertThat(rows.getDouble("duration_ms")).isEqualTo(1.5);
                assertThat(rows.getLong("start_nanos")).isEqualTo(expected.startEpochNanos());
            }
        }
    }

    /**
     * Steps carry their agents' clocks, and {@code steps} is partitioned by month: a batch can span
     * more months than ClickHouse takes in one insert (100). Refused whole, it would be retried
     * forever and stop the table's sink.
     */
    @Test
    void aBatchSpanningMoreMonthsThanOneInsertTakesIsWrittenWhole() throws SQLException {
        List<Step> steps = new ArrayList<>();
        long month = 31L * 24 * 3_600 * 1_000_000_000L;
        for (int i = 0; i < 150; i++) {
            steps.add(TestSteps.llm("acme", "run-months", i, 1_600_000_000_000_000_000L + i * month));
        }
        try (Client client = ClickHouseClients.create(config)) {
            assertThat(new ClickHouseBatchWriter<>(client, new StepRowEncoder()).write(steps)).isEqualTo(150);
        }
        try (Connection connection = jdbc(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(), uniqExact(toYYYYMM(start_time)) FROM steps FINAL "
                     + "WHERE run_id = 'run-months'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(150);
            assertThat(rows.getLong(2)).isGreaterThan(100);
        }
    }

    @Test
    void aBatchWrittenTwiceReadsOnceWithFinal() throws SQLException {
        List<Step> steps = List.of(TestSteps.llm("acme", "run-dup", 0), TestSteps.llm("acme", "run-dup", 1));
        try (Client client = ClickHouseClients.create(config)) {
            ClickHouseBatchWriter<Step> writer = new ClickHouseBatchWriter<>(client, new StepRowEncoder());
            writer.write(steps);
            writer.write(steps);
        }
        try (Connection connection = jdbc(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count() FROM steps FINAL WHERE run_id = 'run-dup'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(2);
        }
    }

    /** A resolution replaces its finding's row under FINAL, and {@code NOT resolved} leaves it out. */
    @Test
    void aResolvedFindingReplacesItsRowAndDropsOutOfCurrentFindings() throws SQLException {
        Finding firing = new Finding("f-unfinished", "unfinished_run", Severity.WARNING, "acme", "", "", "run-late", "", "",
                "run never finished", 1_795_923_246_000_000_000L, 1_795_923_300_000L, Map.of("steps", "2"), Map.of());
        Finding other = new Finding("f-loop", "loop", Severity.ERROR, "acme", "", "", "run-late", "", "",
                "loop", 1_795_923_246_000_000_000L, 1_795_923_300_000L, Map.of(), Map.of());
        try (Client client = ClickHouseClients.create(config)) {
            ClickHouseBatchWriter<Finding> writer = new ClickHouseBatchWriter<>(client, new FindingRowEncoder());
            writer.write(List.of(firing, other));
            writer.write(List.of(firing.resolvedAt(1_795_923_900_000L, Map.of("resolved_by_step", "00000000000000aa"))));
            // An at-least-once re-delivery of the original after its resolution must not revive it.
            writer.write(List.of(firing));
        }
        try (Connection connection = jdbc(); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT groupArray(detector) FROM "
                    + "(SELECT detector FROM findings FINAL WHERE run_id = 'run-late' AND NOT resolved)")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("['loop']");
            }
            try (ResultSet rows = statement.executeQuery(
                    "SELECT resolved, evidence['resolved_by_step'] FROM findings FINAL WHERE fingerprint = 'f-unfinished'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getBoolean(1)).as("the resolution, later detected, wins over the re-delivery").isTrue();
                assertThat(rows.getString(2)).isEqualTo("00000000000000aa");
                assertThat(rows.next()).isFalse();
            }
        }
    }

    private Connection jdbc() throws SQLException {
        return ClickHouseQueries.connect(config.url(), config.database());
    }
}
