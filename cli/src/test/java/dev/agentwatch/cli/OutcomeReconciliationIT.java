package dev.agentwatch.cli;

import static dev.agentwatch.testkit.ClickHouseQueries.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentwatch.cli.TimedAgentRunEmitter.RunSpec;
import dev.agentwatch.testkit.ClickHouseQueries;
import dev.agentwatch.testkit.TestDirectories;
import dev.agentwatch.testkit.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delayed outcomes end to end on the real broker and ClickHouse: runs placed in past hours are
 * emitted through the OpenTelemetry Java SDK to the collector, normalized and assembled into runs
 * by the detectors; outcomes are posted to the collector's {@code /v1/outcomes} minutes of event
 * time after their runs, half before and half after a restart of the stack whose outcome state
 * directory is deleted (so the state comes back from its changelog topics); the findings, the
 * reconciliations, the rates with their Wilson bounds and the review routing are read back from
 * ClickHouse.
 */
@Timeout(600)
class OutcomeReconciliationIT {
    private static final String API_KEY = "aw_outcomes_it_key";
    private static final double WILSON_8_OF_20_LOWER = 0.21881;
    private static final double WILSON_8_OF_20_UPPER = 0.61342;
    /** Deleted by JUnit after each test, with everything the services wrote. */
    @TempDir
    Path tempDir;

    private final String tenant = TestServices.uniqueName("outcomes-it");
    private final String database = TestServices.uniqueDatabase("outcomes_it");
    private final HttpClient http = HttpClient.newHttpClient();
    private Stack stack;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private StackConfig config(Path dataDir, String applicationId) {
        Map<String, String> env = new HashMap<>();
        env.put("AGENTWATCH_DATA_DIR", dataDir.toString());
        env.put("AGENTWATCH_KAFKA_BOOTSTRAP_SERVERS", TestServices.kafkaBootstrap());
        env.put("AGENTWATCH_CLICKHOUSE_URL", TestServices.clickHouseUrl());
        env.put("AGENTWATCH_CLICKHOUSE_DATABASE", database);
        env.put("AGENTWATCH_CLICKHOUSE_BATCH_AGE_MS", "200");
        env.put("AGENTWATCH_COLLECTOR_HTTP_PORT", "0");
        env.put("AGENTWATCH_DETECTORS_HTTP_PORT", "0");
        env.put("AGENTWATCH_COLLECTOR_GRPC_PORT", "0");
        env.put("AGENTWATCH_COLLECTOR_API_KEYS", DevApiKey.hash(API_KEY) + "=" + tenant);
        env.put("AGENTWATCH_DETECTORS_APPLICATION_ID", applicationId);
        env.put("AGENTWATCH_OUTCOMES_EXPECTED_WINDOWS", "support-agent=10m");
        env.put("AGENTWATCH_OUTCOMES_RATE_WINDOW_HOURS", "2");
        env.put("AGENTWATCH_OUTCOMES_RATE_BASELINE_HOURS", "24");
        env.put("AGENTWATCH_OUTCOMES_RATE_MIN_WINDOW_RUNS", "10");
        env.put("AGENTWATCH_OUTCOMES_RATE_MIN_BASELINE_RUNS", "30");
        return StackConfig.from(Settings.load(null, env));
    }

    /** A run and the outcome that will be posted for it (null: none). */
    private record Planned(RunSpec spec, String verdict, boolean bySubject) {
    }

    @Test
    void findsSilentFailuresFromOutcomesPostedLaterAcrossARestart() throws Exception {
        Path dataDir = Files.createTempDirectory(tempDir, "agentwatch-outcomes-it");
        String applicationId = TestServices.uniqueName("outcomes-it");
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        String subject = "CLAIM-" + UUID.randomUUID().toString().substring(0, 8);

        List<Planned> baseline = new ArrayList<>();
        for (int h = 3; h <= 14; h++) {
            for (int i = 0; i < 3; i++) {
                baseline.add(new Planned(new RunSpec("claims-agent", "2.1.0", "", "approved", 0.9, false,
                        hour.minus(Duration.ofHours(h)).plus(Duration.ofMinutes(10 + 2 * i))), "correct", false));
            }
        }
        List<Planned> window = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            boolean wrong = i < 8;
            window.add(new Planned(new RunSpec("claims-agent", "2.1.0", "", "approved", 0.9, wrong,
                    hour.minus(Duration.ofHours(1)).plus(Duration.ofMinutes(5)).plusSeconds(30L * i)),
                    wrong ? "incorrect" : "correct", false));
        }
        RunSpec earlierOfSubject = new RunSpec("triage-agent", "1.0", subject, "denied", Double.NaN, false,
                hour.minus(Duration.ofHours(5)));
        RunSpec judgedOfSubject = new RunSpec("triage-agent", "1.0", subject, "approved", Double.NaN, false,
                hour.minus(Duration.ofHours(4)));
        RunSpec unsure = new RunSpec("triage-agent", "1.0", "", "approved", 0.55, false, hour.minus(Duration.ofHours(4)));
        List<RunSpec> overdue = List.of(
                new RunSpec("support-agent", "3", "", "resolved", Double.NaN, false, hour.minus(Duration.ofHours(2))),
                new RunSpec("support-agent", "3", "", "resolved", Double.NaN, false,
                        hour.minus(Duration.ofHours(2)).plusSeconds(90)));

        stack = Stack.start(config(dataDir, applicationId), new PrintStream(new ByteArrayOutputStream()));
        Map<Planned, String> runIds = new HashMap<>();
        String judgedRunId;
        String unsureRunId;
        try (TimedAgentRunEmitter emitter = new TimedAgentRunEmitter(tracesUrl(), API_KEY)) {
            for (Planned planned : Stream.concat(baseline.stream(), window.stream()).toList()) {
                runIds.put(planned, emitter.emit(planned.spec()));
            }
            emitter.emit(earlierOfSubject);
            judgedRunId = emitter.emit(judgedOfSubject);
            unsureRunId = emitter.emit(unsure);
            overdue.forEach(emitter::emit);
            emitter.flush();
        }
        int runCount = baseline.size() + window.size() + 3 + overdue.size();
        try (Connection connection = jdbc()) {
            awaitCount(connection, "SELECT count() FROM runs FINAL WHERE tenant = '" + tenant + "'", runCount);
            // The baseline's outcomes before the restart.
            post(baseline.stream().map(p -> outcomeJson(runIds.get(p), "", p)).toList());
            awaitCount(connection, reconciliations("AND agent_name = 'claims-agent'"), baseline.size());
        }

        // Restart, losing the outcome pipeline's local state: it must come back from the changelogs.
        stack.close();
        stack = null;
        Path outcomeState = dataDir.resolve("streams").resolve("outcomes");
        assertThat(outcomeState).as("the outcome pipeline's state directory").isDirectory();
        TestDirectories.deleteRecursively(outcomeState);
        stack = Stack.start(config(dataDir, applicationId), new PrintStream(new ByteArrayOutputStream()));

        List<String> afterRestart = new ArrayList<>();
        window.forEach(p -> afterRestart.add(outcomeJson(runIds.get(p), "", p)));
        afterRestart.add(outcomeJson("", subject, new Planned(judgedOfSubject, "incorrect", true)));
        // Re-delivered baseline outcomes change nothing.
        baseline.stream().limit(5).forEach(p -> afterRestart.add(outcomeJson(runIds.get(p), "", p)));
        post(afterRestart);

        try (Connection connection = jdbc()) {
            awaitCount(connection, reconciliations(""), baseline.size() + window.size() + 1);
            awaitCount(connection, findings("silent_failure"), 9);
            awaitCount(connection, findings("judge_false_approval"), 8);
            awaitCount(connection, findings("outcome_overdue"), 2);
            awaitCount(connection, findings("silent_failure_rate_spike"), 1);
            assertThat(count(connection, findings("false_alarm"))).isZero();

            // The subject's outcome judged its latest run before the decision, not the earlier one.
            assertThat(strings(connection, "SELECT run_id FROM findings FINAL WHERE tenant = '" + tenant
                    + "' AND detector = 'silent_failure' AND agent_name = 'triage-agent'")).containsExactly(judgedRunId);
            assertThat(strings(connection, "SELECT matched_by FROM outcome_reconciliations FINAL WHERE tenant = '" + tenant
                    + "' AND run_id = '" + judgedRunId + "'")).containsExactly("subject");

            // Attribution: each silent failure of the window names the swallowed tool error to look at first.
            List<String> lookFirst = strings(connection, "SELECT evidence['look_first'] FROM findings FINAL WHERE tenant = '"
                    + tenant + "' AND detector = 'silent_failure' AND agent_name = 'claims-agent'");
            assertThat(lookFirst).hasSize(8).allSatisfy(where -> assertThat(where).startsWith("swallowed_error@"));

            // The window's hour: 8 silent failures in 20 runs with outcomes, with Wilson 95% bounds.
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("""
                    SELECT runs_with_outcome, silent_failures, silent_failure_rate, silent_failure_rate_lower,
                           silent_failure_rate_upper, judged_runs, judge_agreements, judge_false_approvals
                    FROM outcome_rates_1h
                    WHERE tenant = '%s' AND agent_name = 'claims-agent' AND agent_version = '2.1.0'
                      AND hour = toDateTime64('%s', 3, 'UTC')""".formatted(tenant,
                    hour.minus(Duration.ofHours(1)).toString().replace("T", " ").replace("Z", "")))) {
                assertThat(rows.next()).as("a rate row for the window hour").isTrue();
                assertThat(rows.getLong("runs_with_outcome")).isEqualTo(20);
                assertThat(rows.getLong("silent_failures")).isEqualTo(8);
                assertThat(rows.getDouble("silent_failure_rate")).isCloseTo(0.4, within(1e-9));
                assertThat(rows.getDouble("silent_failure_rate_lower")).isCloseTo(WILSON_8_OF_20_LOWER, within(1e-4));
                assertThat(rows.getDouble("silent_failure_rate_upper")).isCloseTo(WILSON_8_OF_20_UPPER, within(1e-4));
                assertThat(rows.getLong("judged_runs")).isEqualTo(20);
                assertThat(rows.getLong("judge_agreements")).isEqualTo(12);
                assertThat(rows.getLong("judge_false_approvals")).isEqualTo(8);
            }
            assertThat(strings(connection, "SELECT evidence['baseline_runs'] FROM findings FINAL WHERE tenant = '" + tenant
                    + "' AND detector = 'silent_failure_rate_spike'")).containsExactly(Integer.toString(baseline.size()));

            // Review routing: the unsure judgement went to review.
            assertThat(strings(connection, "SELECT reason FROM run_reviews FINAL WHERE tenant = '" + tenant
                    + "' AND run_id = '" + unsureRunId + "'")).containsExactly("review");

            // Nothing doubled across the restart and the re-delivered outcomes.
            assertThat(count(connection, reconciliations(""))).isEqualTo(baseline.size() + window.size() + 1);
            assertThat(count(connection, "SELECT count() FROM (SELECT run_id FROM outcome_reconciliations FINAL WHERE tenant = '"
                    + tenant + "' GROUP BY run_id HAVING count() > 1)")).isZero();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (stack.detectors().outcomeMetrics().get("outcomes.ignored.stale_or_duplicate") < 5
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(stack.detectors().outcomeMetrics().get("outcomes.ignored.stale_or_duplicate")).isEqualTo(5);
    }

    private String reconciliations(String where) {
        return "SELECT count() FROM outcome_reconciliations FINAL WHERE tenant = '" + tenant + "' AND effective " + where;
    }

    private String findings(String detector) {
        return "SELECT count() FROM findings FINAL WHERE tenant = '" + tenant + "' AND detector = '" + detector + "'";
    }

    private static String outcomeJson(String runId, String subject, Planned planned) {
        Instant observed = planned.spec().end().plus(Duration.ofMinutes(planned.bySubject() ? 30 : 5));
        return "{" + (runId.isEmpty() ? "\"subject_id\":\"" + subject + "\"" : "\"run_id\":\"" + runId + "\"")
                + ",\"verdict\":\"" + planned.verdict() + "\",\"source\":\"human_review\",\"observed_at\":\""
                + observed + "\"}";
    }

    private void post(List<String> outcomes) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + stack.collector().httpPort() + "/v1/outcomes"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", outcomes) + "]"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"accepted\":" + outcomes.size());
    }

    private String tracesUrl() {
        return "http://127.0.0.1:" + stack.collector().httpPort() + "/v1/traces";
    }

    private Connection jdbc() throws SQLException {
        return ClickHouseQueries.connect(TestServices.clickHouseUrl(), database);
    }

    private static void awaitCount(Connection connection, String query, long expected) throws Exception {
        ClickHouseQueries.awaitCount(connection, query, expected, Duration.ofSeconds(180));
    }

    private static List<String> strings(Connection connection, String query) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                out.add(rows.getString(1));
            }
        }
        return out;
    }
}
