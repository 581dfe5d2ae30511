package dev.agentwatch.cli;

import static dev.agentwatch.testkit.ClickHouseQueries.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentwatch.cli.TauTrajectories.Emitted;
import dev.agentwatch.cli.TauTrajectories.Trajectory;
import dev.agentwatch.testkit.ClickHouseQueries;
import dev.agentwatch.testkit.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 100 tau-bench retail trajectories as production would see them: each is emitted as an agent
 * run through the OpenTelemetry SDK and the collector, and its reward, decided afterwards from the
 * database state, is posted to {@code /v1/outcomes} ten minutes of event time after the run
 * (reward 1: correct, 0: incorrect). Every run that stood by its result (claimed completion, or
 * ended OK without a claim) and got reward 0 must be found as a silent failure; runs handed to a
 * human claim nothing and are not; no run with reward 1 is. Prints the figures.
 */
@Timeout(600)
class TauRetailOutcomesIT {
    private static final String API_KEY = "aw_tau_retail_key";
    /** Deleted by JUnit after each test, with everything the services wrote. */
    @TempDir
    Path tempDir;
    private final String tenant = TestServices.uniqueName("tau");
    private final String database = TestServices.uniqueDatabase("tau_it");
    private Stack stack;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void findsTheRunsThatClaimedSuccessButWereWrong() throws Exception {
        List<Trajectory> trajectories = TauTrajectories.load();
        assertThat(trajectories).hasSize(100);
        Map<String, String> env = new HashMap<>();
        env.put("AGENTWATCH_DATA_DIR", Files.createTempDirectory(tempDir, "agentwatch-tau").toString());
        env.put("AGENTWATCH_KAFKA_BOOTSTRAP_SERVERS", TestServices.kafkaBootstrap());
        env.put("AGENTWATCH_CLICKHOUSE_URL", TestServices.clickHouseUrl());
        env.put("AGENTWATCH_CLICKHOUSE_DATABASE", database);
        env.put("AGENTWATCH_CLICKHOUSE_BATCH_AGE_MS", "200");
        env.put("AGENTWATCH_COLLECTOR_HTTP_PORT", "0");
        env.put("AGENTWATCH_DETECTORS_HTTP_PORT", "0");
        env.put("AGENTWATCH_COLLECTOR_GRPC_PORT", "0");
        env.put("AGENTWATCH_COLLECTOR_API_KEYS", DevApiKey.hash(API_KEY) + "=" + tenant);
        env.put("AGENTWATCH_DETECTORS_APPLICATION_ID", TestServices.uniqueName("tau"));
        stack = Stack.start(StackConfig.from(Settings.load(null, env)), new PrintStream(new ByteArrayOutputStream()));
        String base = "http://127.0.0.1:" + stack.collector().httpPort();

        // All runs inside the previous clock hour, 20 s apart.
        Instant first = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofMinutes(55));
        Map<Trajectory, Emitted> emitted = new LinkedHashMap<>();
        try (TauTrajectories.Emitter emitter = new TauTrajectories.Emitter(base + "/v1/traces", API_KEY)) {
            for (int i = 0; i < trajectories.size(); i++) {
                emitted.put(trajectories.get(i), emitter.emit(trajectories.get(i), first.plusSeconds(20L * i)));
            }
            emitter.flush();
        }
        Map<String, Trajectory> byRun = new HashMap<>();
        emitted.forEach((trajectory, run) -> byRun.put(run.runId(), trajectory));

        try (Connection connection = jdbc()) {
            awaitCount(connection, "SELECT count() FROM runs FINAL WHERE tenant = '" + tenant + "'", 100);
            postOutcomes(base, emitted);
            awaitCount(connection, "SELECT count() FROM outcome_reconciliations FINAL WHERE tenant = '" + tenant
                    + "' AND effective", 100);

            Set<Integer> expectedSilent = new HashSet<>();
            Set<Integer> completedButWrong = new HashSet<>();
            for (Trajectory t : trajectories) {
                if (t.reward() == 0 && !t.claim().equals("transferred")) {
                    expectedSilent.add(t.taskId());
                }
                if (t.reward() == 0 && t.claim().equals("completed")) {
                    completedButWrong.add(t.taskId());
                }
            }
            // The dataset is fixed: of its 27 reward-0 runs, 14 claimed completion, 9 ended OK without a
            // claim and 4 were handed to a human (not silent failures).
            assertThat(completedButWrong).hasSize(14);
            assertThat(expectedSilent).hasSize(23);
            awaitCount(connection, "SELECT count() FROM findings FINAL WHERE tenant = '" + tenant
                    + "' AND detector = 'silent_failure'", expectedSilent.size());

            Set<Integer> caught = new HashSet<>();
            int attributed = 0;
            Map<String, Integer> lookFirst = new java.util.TreeMap<>();
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                    "SELECT run_id, evidence['related_findings'] AS related, evidence['look_first'] AS look_first"
                            + " FROM findings FINAL WHERE tenant = '" + tenant + "' AND detector = 'silent_failure'")) {
                while (rows.next()) {
                    caught.add(byRun.get(rows.getString("run_id")).taskId());
                    attributed += Integer.parseInt(rows.getString("related")) > 0 ? 1 : 0;
                    lookFirst.merge(rows.getString("look_first").replaceAll("@.*", ""), 1, Integer::sum);
                }
            }
            assertThat(caught).isEqualTo(expectedSilent).containsAll(completedButWrong);
            assertThat(count(connection, "SELECT count() FROM findings FINAL WHERE tenant = '" + tenant
                    + "' AND detector = 'false_alarm'")).isZero();
            assertThat(count(connection, "SELECT count() FROM outcome_reconciliations FINAL WHERE tenant = '" + tenant
                    + "' AND effective AND claim = 'none'")).isEqualTo(trajectories.stream()
                    .filter(t -> t.claim().equals("transferred")).count());

            long runsWithOutcome;
            long silent;
            double lower;
            double upper;
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                    "SELECT sum(runs_with_outcome), sum(silent_failures), any(silent_failure_rate_lower),"
                            + " any(silent_failure_rate_upper), count() FROM outcome_rates_agent_1h WHERE tenant = '"
                            + tenant + "'")) {
                rows.next();
                runsWithOutcome = rows.getLong(1);
                silent = rows.getLong(2);
                lower = rows.getDouble(3);
                upper = rows.getDouble(4);
                assertThat(rows.getLong(5)).as("all runs in one hour").isEqualTo(1);
            }
            assertThat(runsWithOutcome).isEqualTo(100);
            assertThat(silent).isEqualTo(expectedSilent.size());

            long rewardZero = trajectories.stream().filter(t -> t.reward() == 0).count();
            long completed = trajectories.stream().filter(t -> t.claim().equals("completed")).count();
            long noClaimWrong = trajectories.stream().filter(t -> t.reward() == 0 && t.claim().isEmpty()).count();
            long transferredWrong = trajectories.stream().filter(t -> t.reward() == 0 && t.claim().equals("transferred"))
                    .count();
            System.out.printf("tau_retail: %d runs, %d with reward 0; %d claimed completion, %d of them with reward 0"
                            + " (all caught: %s); %d reward-0 runs ended OK without a claim (caught: %d);"
                            + " %d reward-0 runs handed to a human (not silent failures);"
                            + " silent failures %d (%d with other findings attached for attribution);"
                            + " silent-failure rate %d/%d, Wilson 95%% %.3f..%.3f; look first: %s%n",
                    trajectories.size(), rewardZero, completed, completedButWrong.size(),
                    caught.containsAll(completedButWrong), noClaimWrong, noClaimWrong, transferredWrong, caught.size(),
                    attributed, silent, runsWithOutcome, lower, upper, lookFirst);
        }
    }

    private void postOutcomes(String base, Map<Trajectory, Emitted> emitted) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode outcomes = mapper.createArrayNode();
        emitted.forEach((trajectory, run) -> {
            ObjectNode outcome = outcomes.addObject();
            outcome.put("run_id", run.runId());
            outcome.put("verdict", trajectory.reward() > 0 ? "correct" : "incorrect");
            outcome.put("source", "downstream_system");
            outcome.put("observed_at", run.end().plus(Duration.ofMinutes(10)).toString());
            if (!trajectory.failureSummary().isEmpty()) {
                outcome.put("reason", trajectory.failureSummary());
            }
        });
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/v1/outcomes"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(outcomes))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private Connection jdbc() throws SQLException {
        return ClickHouseQueries.connect(TestServices.clickHouseUrl(), database);
    }

    private static void awaitCount(Connection connection, String query, long expected) throws Exception {
        ClickHouseQueries.awaitCount(connection, query, expected, Duration.ofSeconds(180));
    }
}
