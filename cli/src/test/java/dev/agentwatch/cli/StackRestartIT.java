package dev.agentwatch.cli;

import static dev.agentwatch.testkit.ClickHouseQueries.awaitCount;
import static dev.agentwatch.testkit.ClickHouseQueries.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.testkit.ClickHouseQueries;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agentwatch up} as a separate process on the embedded services: spans go in, the process
 * is stopped with SIGTERM (as Ctrl-C does) and started again on the same data directories, and
 * the earlier rows and topics are still there, with no duplicates.
 */
@Timeout(600)
class StackRestartIT {
    private static final String API_KEY = "aw_restart_test_key";
    /** Deleted by JUnit after each test, with everything the services wrote. */
    @TempDir
    Path tempDir;
    private Process process;

    @AfterEach
    void killLeftovers() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void restartOnTheSameDataDirectoriesKeepsRowsAndTopics() throws Exception {
        Path dataDir = Files.createTempDirectory(tempDir, "agentwatch-restart");
        int kafkaPort = freePort();
        int controllerPort = freePort();
        int clickHousePort = freePort();
        int collectorPort = freePort();
        int healthPort = freePort();
        Map<String, String> env = Map.of(
                "AGENTWATCH_DATA_DIR", dataDir.resolve("data").toString(),
                "AGENTWATCH_KAFKA_EMBEDDED_PORT", Integer.toString(kafkaPort),
                "AGENTWATCH_KAFKA_EMBEDDED_CONTROLLER_PORT", Integer.toString(controllerPort),
                "AGENTWATCH_CLICKHOUSE_EMBEDDED_PORT", Integer.toString(clickHousePort),
                "AGENTWATCH_CLICKHOUSE_BATCH_AGE_MS", "200",
                "AGENTWATCH_COLLECTOR_HTTP_PORT", Integer.toString(collectorPort),
                "AGENTWATCH_COLLECTOR_GRPC_PORT", "0",
                "AGENTWATCH_DETECTORS_HTTP_PORT", Integer.toString(healthPort),
                "AGENTWATCH_COLLECTOR_API_KEYS", DevApiKey.hash(API_KEY) + "=acme");
        String tracesUrl = "http://127.0.0.1:" + collectorPort + "/v1/traces";
        String clickHouseUrl = "http://127.0.0.1:" + clickHousePort;
        String bootstrap = "127.0.0.1:" + kafkaPort;

        process = startUp(env, dataDir.resolve("first.out"));
        String banner = Files.readString(dataDir.resolve("first.out"), StandardCharsets.UTF_8);
        assertThat(banner).contains("OTLP/HTTP traces   " + tracesUrl, "ClickHouse HTTP    " + clickHouseUrl,
                "Kafka              " + bootstrap);
        HttpResponse<String> ping = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(clickHouseUrl + "/ping")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("Ok.\n");
        String healthUrl = "http://127.0.0.1:" + healthPort + "/health";
        assertThat(banner).contains("detectors health   " + healthUrl + "  (metrics: /metrics)");
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(healthUrl)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"");
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(healthUrl.replace("/health", "/metrics"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("agentwatch_detectors_steps_normalized_total ");
        String firstTrace;
        try (AgentRunEmitter emitter = new AgentRunEmitter(tracesUrl, API_KEY)) {
            firstTrace = emitter.emitClaimsRun("CLAIM-1");
            emitter.flush();
        }
        try (Connection connection = jdbc(clickHouseUrl)) {
            awaitCount(connection, "SELECT count() FROM steps FINAL WHERE run_id = '" + firstTrace + "'", 3, Duration.ofSeconds(90));
        }
        // Acknowledged by the collector, then Ctrl-C at once: whatever was in flight comes back.
        String inFlightTrace;
        try (AgentRunEmitter emitter = new AgentRunEmitter(tracesUrl, API_KEY)) {
            inFlightTrace = emitter.emitClaimsRun("CLAIM-1B");
            emitter.flush();
        }
        stopGracefully(process, dataDir.resolve("first.out"));

        process = startUp(env, dataDir.resolve("second.out"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(topics).contains("otlp_spans", "agentwatch_steps", "agentwatch_dead_letters");
            assertThat(recordsIn(admin, "otlp_spans")).isGreaterThanOrEqualTo(1);
        }
        String secondTrace;
        try (AgentRunEmitter emitter = new AgentRunEmitter(tracesUrl, API_KEY)) {
            secondTrace = emitter.emitClaimsRun("CLAIM-2");
            emitter.flush();
        }
        try (Connection connection = jdbc(clickHouseUrl)) {
            awaitCount(connection, "SELECT count() FROM steps FINAL WHERE run_id = '" + secondTrace + "'", 3, Duration.ofSeconds(90));
            awaitCount(connection, "SELECT count() FROM steps FINAL WHERE run_id = '" + inFlightTrace + "'", 3,
                    Duration.ofSeconds(90));
            // The earlier rows survived, once each, even without FINAL's deduplication.
            assertThat(count(connection, "SELECT count() FROM steps WHERE run_id = '" + firstTrace + "'")).isEqualTo(3);
            assertThat(count(connection, "SELECT count() FROM steps")).isEqualTo(9);
        }
        stopGracefully(process, dataDir.resolve("second.out"));
    }

    private static long recordsIn(Admin admin, String topic) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset()).sum();
    }

    private static Process startUp(Map<String, String> env, Path output) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xss4m",
                "-Dagentwatch.log.file=" + output.resolveSibling(output.getFileName() + ".log"),
                // A killed JVM leaves the native libraries it unpacked (RocksDB: 14 MB) in its temp dir.
                "-Djava.io.tmpdir=" + output.getParent(),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "up"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        Process started = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (text.contains("agentwatch is up")) {
                return started;
            }
            if (!started.isAlive()) {
                throw new AssertionError("agentwatch up exited with " + started.exitValue() + ":\n" + text);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("agentwatch up did not come up within 240 s:\n" + Files.readString(output));
    }

    private static void stopGracefully(Process running, Path output) throws Exception {
        running.destroy();
        assertThat(running.waitFor(120, TimeUnit.SECONDS)).as("process stops after SIGTERM").isTrue();
        assertThat(Files.readString(output)).contains("stopped cleanly");
    }

    private static Connection jdbc(String url) throws SQLException {
        return ClickHouseQueries.connect(url, "agentwatch");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
