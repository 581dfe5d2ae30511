package dev.agentwatch.cli;

import static dev.agentwatch.testkit.ClickHouseQueries.awaitCount;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.testkit.ClickHouseQueries;
import dev.agentwatch.testkit.TestServices;
import java.io.IOException;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first vertical slice, end to end on real services: the OpenTelemetry Java SDK exports
 * over OTLP/HTTP to the collector, Kafka carries the spans, the detectors normalize them, and
 * the rows are read back from ClickHouse through clickhouse-jdbc.
 */
@Timeout(300)
class EndToEndIT {
    private static final String API_KEY = "aw_test_key_for_acme";
    /** Deleted by JUnit after the class's last test, with everything the services wrote. */
    @TempDir
    static Path tempDir;
    private static Stack stack;
    private static String database;

    @BeforeAll
    static void startStack() throws IOException {
        database = TestServices.uniqueDatabase("e2e");
        Path dataDir = Files.createTempDirectory(tempDir, "agentwatch-e2e");
        Map<String, String> env = new HashMap<>();
        env.put("AGENTWATCH_DATA_DIR", dataDir.toString());
        env.put("AGENTWATCH_KAFKA_BOOTSTRAP_SERVERS", TestServices.kafkaBootstrap());
        env.put("AGENTWATCH_CLICKHOUSE_URL", TestServices.clickHouseUrl());
        env.put("AGENTWATCH_CLICKHOUSE_DATABASE", database);
        env.put("AGENTWATCH_CLICKHOUSE_BATCH_AGE_MS", "200");
        env.put("AGENTWATCH_COLLECTOR_HTTP_PORT", "0");
        env.put("AGENTWATCH_DETECTORS_HTTP_PORT", "0");
        env.put("AGENTWATCH_COLLECTOR_GRPC_PORT", "0");
        env.put("AGENTWATCH_COLLECTOR_API_KEYS", DevApiKey.hash(API_KEY) + "=acme");
        env.put("AGENTWATCH_DETECTORS_APPLICATION_ID", TestServices.uniqueName("e2e"));
        StackConfig config = StackConfig.from(Settings.load(null, env));
        stack = Stack.start(config, new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void spansFromTheOtelSdkArriveInClickHouseAsNormalizedSteps() throws Exception {
        String traceId;
        try (AgentRunEmitter emitter = new AgentRunEmitter(tracesUrl(), API_KEY)) {
            traceId = emitter.emitClaimsRun("CLAIM-1001");
            emitter.flush();
        }
        try (Connection connection = jdbc()) {
            awaitCount(connection, "SELECT count() FROM steps FINAL WHERE run_id = '" + traceId + "'", 3, Duration.ofSeconds(90));
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("""
                         SELECT tenant, kind, name, agent_name, model, provider, input_tokens, output_tokens, status,
                                error_type, parent_step_id, subject_id, claimed_outcome, tool_name, finish_reason
                         FROM steps FINAL WHERE run_id = '%s' ORDER BY start_time, kind""".formatted(traceId))) {
                Map<String, Map<String, Object>> byKind = new HashMap<>();
                while (rows.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (String column : new String[] {"tenant", "name", "agent_name", "model", "provider", "status",
                            "error_type", "parent_step_id", "subject_id", "claimed_outcome", "tool_name", "finish_reason"}) {
                        row.put(column, rows.getString(column));
                    }
                    row.put("input_tokens", rows.getLong("input_tokens"));
                    row.put("output_tokens", rows.getLong("output_tokens"));
                    byKind.put(rows.getString("kind"), row);
                }
                assertThat(byKind).containsOnlyKeys("agent", "llm", "tool");
                assertThat(byKind.values()).allSatisfy(row -> assertThat(row.get("tenant")).isEqualTo("acme"));
                Map<String, Object> agent = byKind.get("agent");
                assertThat(agent).containsEntry("agent_name", "claims-agent")
                        .containsEntry("parent_step_id", "")
                        .containsEntry("subject_id", "CLAIM-1001")
                        .containsEntry("claimed_outcome", "approved");
                Map<String, Object> llm = byKind.get("llm");
                assertThat(llm).containsEntry("model", "gpt-4o-mini-2024-07-18")
                        .containsEntry("provider", "openai")
                        .containsEntry("input_tokens", 1200L)
                        .containsEntry("output_tokens", 85L)
                        .containsEntry("status", "unset")
                        .containsEntry("finish_reason", "tool_calls");
                assertThat((String) llm.get("parent_step_id")).hasSize(16);
                Map<String, Object> tool = byKind.get("tool");
                assertThat(tool).containsEntry("tool_name", "check_coverage")
                        .containsEntry("status", "error")
                        .containsEntry("error_type", "TimeoutException")
                        .containsEntry("parent_step_id", llm.get("parent_step_id"));
            }
        }
    }

    @Test
    void aWrongApiKeyIsRefusedAndCounted() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(tracesUrl()))
                .header("Content-Type", "application/x-protobuf")
                .header("Authorization", "Bearer not-a-key")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0])).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("unknown API key");
        assertThat(stack.collector().metrics().requestsRejected("unknown_api_key")).isGreaterThanOrEqualTo(1);
    }

    private static String tracesUrl() {
        return "http://127.0.0.1:" + stack.collector().httpPort() + "/v1/traces";
    }

    private static Connection jdbc() throws SQLException {
        return ClickHouseQueries.connect(TestServices.clickHouseUrl(), database);
    }
}
