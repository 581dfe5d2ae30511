package dev.agentwatch.dashboards;

import static dev.agentwatch.testkit.ClickHouseQueries.awaitAtLeast;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentwatch.dashboards.Dashboards.Dashboard;
import dev.agentwatch.testkit.ClickHouseQueries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every panel's SQL, with the Grafana plugin's macros and the template variables expanded, runs
 * against the real schema seeded by a real pipeline run: {@code agentwatch demo} (embedded Kafka,
 * chDB, collector, detectors, outcome reconciliation) in a child JVM, kept running for the
 * queries. Each query must succeed and return rows whose columns fit its panel.
 */
@Timeout(600)
class PanelQueriesIT {
    private static final Pattern CLICKHOUSE = Pattern.compile("ClickHouse\\s+(http://\\S+)\\s+database (\\w+)");
    private static final Pattern KAFKA = Pattern.compile("Kafka\\s+(\\S+:\\d+)");
    private static final Pattern COLLECTOR = Pattern.compile("collector\\s+(http://\\S+)/v1/traces");
    /** Deleted by JUnit after the class's last test, with everything the services wrote. */
    @TempDir
    static Path tempDir;
    private static Process demo;
    private static Path output;
    private static String url;
    private static String database;

    @BeforeAll
    static void runTheDemo() throws Exception {
        Path dir = Files.createTempDirectory(tempDir, "agentwatch-dashboards");
        output = dir.resolve("demo.out");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Xss4m",
                "-Dagentwatch.log.file=" + dir.resolve("agentwatch.log"),
                "-cp", System.getProperty("java.class.path"), "dev.agentwatch.cli.Main",
                "demo", "--duration", "25s", "--seed", "11", "--keep-running", "--data-dir", dir.resolve("data").toString());
        demo = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        String text = awaitOutput("The stack stays up", Duration.ofSeconds(420));
        Matcher clickHouse = CLICKHOUSE.matcher(text);
        assertThat(clickHouse.find()).as("demo prints its ClickHouse URL:\n%s", text).isTrue();
        url = clickHouse.group(1);
        database = clickHouse.group(2);
        Matcher kafka = KAFKA.matcher(text);
        assertThat(kafka.find()).as("demo prints its Kafka address").isTrue();
        Matcher collector = COLLECTOR.matcher(text);
        assertThat(collector.find()).as("demo prints its collector URL").isTrue();
        seedRejectionsAndADeadLetter(kafka.group(1), collector.group(1));
    }

    @AfterAll
    static void stopTheDemo() throws InterruptedException {
        if (demo != null) {
            demo.destroy();
            if (!demo.waitFor(60, TimeUnit.SECONDS)) {
                demo.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The demo's traffic is all valid: a refused request and a poison record show the rejection
     * and dead-letter panels working.
     */
    private static void seedRejectionsAndADeadLetter(String bootstrap, String collector) throws Exception {
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(collector + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf").header("Authorization", "Bearer not-a-key")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0])).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("otlp_spans", "0af7651916cd43dd8448eb211c80319c",
                    new byte[] {0x0A, 0x7F, 0x01})).get(30, TimeUnit.SECONDS);
        }
        try (Connection connection = jdbc()) {
            awaitAtLeast(connection, "SELECT count() FROM dead_letters", 1, Duration.ofSeconds(60));
            awaitAtLeast(connection, "SELECT count() FROM pipeline_metrics WHERE metric = 'consumer_lag'", 1, Duration.ofSeconds(60));
            awaitAtLeast(connection, "SELECT count() FROM pipeline_metrics WHERE metric = 'requests_rejected'", 1, Duration.ofSeconds(60));
            awaitAtLeast(connection, "SELECT count() FROM pipeline_metrics WHERE metric = 'sink_retries'", 1, Duration.ofSeconds(60));
            awaitAtLeast(connection, "SELECT count() FROM pipeline_metrics WHERE metric = 'runs_closed'", 1, Duration.ofSeconds(60));
            awaitAtLeast(connection, "SELECT count() FROM pipeline_metrics WHERE metric = 'detector_failed'", 1, Duration.ofSeconds(60));
            awaitAtLeast(connection, "SELECT count() FROM pipeline_metrics WHERE metric = 'findings_emitted'", 1, Duration.ofSeconds(60));
        }
    }

    @Test
    void everyPanelQueryRunsAndReturnsColumnsThatFitItsPanel() throws Exception {
        List<String> failures = new ArrayList<>();
        int queries = 0;
        try (Connection connection = jdbc()) {
            long now = System.currentTimeMillis();
            long from = firstEventMillis(connection) - 3_600_000L;
            // All agents, where every panel must have data; then one agent and version, as the
            // Agent dashboard's single-select sends them, where a panel may be empty but must still run.
            Map<String, List<String>> all = variables(connection);
            Map<String, List<String>> one = new HashMap<>(all);
            one.put("agent", List.of(single(connection, "SELECT agent_name FROM runs FINAL WHERE run_id = '"
                    + all.get("run_id").getFirst() + "'")));
            one.put("agent_version", List.of(single(connection, "SELECT agent_version FROM runs FINAL WHERE run_id = '"
                    + all.get("run_id").getFirst() + "'")));
            for (Map<String, List<String>> variables : List.of(all, one)) {
                boolean rowsRequired = variables == all;
                GrafanaMacros macros = new GrafanaMacros(from, now + 3_600_000L, 60, variables);
                String pass = rowsRequired ? "" : " [agent " + one.get("agent").getFirst() + "]";
                for (Dashboard dashboard : Dashboards.all()) {
                    for (JsonNode variable : dashboard.json().path("templating").path("list")) {
                        if (variable.path("type").asText().equals("query")) {
                            queries++;
                            String sql = macros.expand(variable.path("query").path("rawSql").asText());
                            check(connection, dashboard.uid() + " variable " + variable.path("name").asText() + pass,
                                    "table", sql, rowsRequired, failures);
                        }
                    }
                    for (JsonNode panel : dashboard.panels()) {
                        for (JsonNode target : panel.path("targets")) {
                            queries++;
                            String sql = macros.expand(target.path("rawSql").asText());
                            check(connection, dashboard.uid() + " / " + panel.path("title").asText() + pass,
                                    panel.path("type").asText(), sql, rowsRequired, failures);
                        }
                    }
                }
            }
        }
        assertThat(queries).isGreaterThan(80);
        assertThat(failures).as("panels whose query failed or does not fit the panel").isEmpty();
    }

    private static void check(Connection connection, String where, String panelType, String sql, boolean rowsRequired,
                              List<String> failures) {
        assertThat(sql).as("macros left in %s", where).doesNotContain("$__").doesNotContain("${");
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rows.getMetaData();
            int rowCount = 0;
            while (rows.next()) {
                rowCount++;
            }
            List<String> types = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                types.add(meta.getColumnTypeName(i));
            }
            String problem = rowCount == 0 && !rowsRequired ? null : fit(panelType, types, rowCount);
            if (problem != null) {
                failures.add(where + ": " + problem + " (columns " + types + ", " + rowCount + " rows)");
            }
        } catch (SQLException e) {
            failures.add(where + ": " + e.getMessage().lines().findFirst().orElse("") + "\n    " + sql.replace("\n", " "));
        }
    }

    /** Null when the result fits the panel type, else what is wrong. */
    static String fit(String panelType, List<String> types, int rows) {
        if (rows == 0) {
            return "no rows: the seeded pipeline run should give every panel data";
        }
        boolean firstIsTime = !types.isEmpty() && types.get(0).replace("Nullable(", "").startsWith("DateTime");
        long numeric = types.stream().filter(PanelQueriesIT::isNumeric).count();
        long text = types.stream().filter(t -> t.contains("String")).count();
        return switch (panelType) {
            case "timeseries", "heatmap" -> !firstIsTime ? "a time series needs a time column first"
                    : numeric == 0 ? "a time series needs a numeric value column" : null;
            case "stat", "gauge" -> numeric == 0 ? "a stat needs a numeric value" : rows != 1 ? "a stat needs one row" : null;
            case "barchart", "bargauge", "piechart" -> numeric == 0 || text == 0
                    ? "a bar chart needs a label column and a numeric column" : null;
            default -> types.isEmpty() ? "no columns" : null;
        };
    }

    private static boolean isNumeric(String type) {
        String bare = type.replace("Nullable(", "").replace("LowCardinality(", "");
        return bare.startsWith("UInt") || bare.startsWith("Int") || bare.startsWith("Float") || bare.startsWith("Decimal");
    }

    private static Map<String, List<String>> variables(Connection connection) throws SQLException {
        Map<String, List<String>> variables = new HashMap<>();
        variables.put("tenant", List.of(single(connection, "SELECT any(tenant) FROM runs")));
        variables.put("agent", List.of(GrafanaMacros.ALL));
        variables.put("agent_version", List.of(GrafanaMacros.ALL));
        // The run with the most findings, so that the run-detail panels show a real investigation.
        variables.put("run_id", List.of(single(connection,
                "SELECT run_id FROM findings FINAL WHERE run_id != '' GROUP BY run_id ORDER BY count() DESC LIMIT 1")));
        return variables;
    }

    private static long firstEventMillis(Connection connection) throws SQLException {
        return Long.parseLong(single(connection, "SELECT toUnixTimestamp64Milli(min(start_time)) FROM runs"));
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as(sql).isTrue();
            return rows.getString(1);
        }
    }

    private static String awaitOutput(String marker, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (text.contains(marker)) {
                return text;
            }
            if (!demo.isAlive()) {
                throw new AssertionError("agentwatch demo exited with " + demo.exitValue() + ":\n" + text);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("agentwatch demo did not reach '" + marker + "' in " + timeout + ":\n"
                + Files.readString(output, StandardCharsets.UTF_8));
    }

    private static Connection jdbc() throws SQLException {
        return ClickHouseQueries.connect(url, database);
    }
}
