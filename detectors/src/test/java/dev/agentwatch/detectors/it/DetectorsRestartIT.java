package dev.agentwatch.detectors.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.clickhouse.ClickHouseConfig;
import dev.agentwatch.clickhouse.SchemaMigrator;
import dev.agentwatch.testkit.TestServices;
import dev.agentwatch.topics.TopicCreator;
import dev.agentwatch.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detectors in a child JVM are killed with SIGKILL in the middle of the stream and started
 * again on the same state directory: ClickHouse ends up with exactly the expected steps, runs and
 * findings under FINAL, none lost, none doubled.
 */
@Timeout(420)
class DetectorsRestartIT {
    private static final int RUNS = 400;
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
    void aKilledAndRestartedDetectorsProcessLosesNothingAndDuplicatesNothing() throws Exception {
        ClickHouseConfig ch = new ClickHouseConfig(TestServices.clickHouseUrl(), TestServices.uniqueDatabase("restart"),
                "default", "", 10_000, Duration.ofMillis(200));
        SchemaMigrator.of(ch).migrate();
        TopicCreator.of(3, (short) 1).ensure(TestServices.kafkaBootstrap(), Topics.ALL);
        String tenant = TestServices.uniqueName("restart");
        long seed = System.nanoTime();
        Path dir = Files.createTempDirectory(tempDir, "detectors-restart");
        List<String> args = List.of(TestServices.kafkaBootstrap(), ch.url(), ch.database(),
                TestServices.uniqueName("restart-it"), dir.resolve("state").toString(), "restart-1");
        long start = System.currentTimeMillis() * 1_000_000L - 600_000_000_000L;

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
             ClickHouseProbe clickHouse = new ClickHouseProbe(ch)) {
            send(producer, tenant, seed, 0, RUNS / 2, start);
            process = startDetectors(args, dir.resolve("first.out"));
            String runs = "SELECT count() FROM runs FINAL WHERE tenant = '" + tenant + "'";
            clickHouse.awaitCount(runs, RUNS / 8, Duration.ofSeconds(120));
            send(producer, tenant, seed, RUNS / 2, RUNS * 3 / 4, start);
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long atKill = clickHouse.count(runs);
            assertThat(atKill).as("killed mid-stream").isLessThan(RUNS);
            send(producer, tenant, seed, RUNS * 3 / 4, RUNS, start);

            process = startDetectors(args, dir.resolve("second.out"));

            String where = " WHERE tenant = '" + tenant + "'";
            try {
                clickHouse.awaitCount("SELECT count() FROM steps FINAL" + where, (long) RUNS * OtlpRuns.STEPS_PER_RUN,
                        Duration.ofSeconds(180));
                clickHouse.awaitCount(runs, RUNS, Duration.ofSeconds(120));
                clickHouse.awaitCount("SELECT count() FROM findings FINAL" + where, RUNS, Duration.ofSeconds(120));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + diagnose(clickHouse, where, seed, args.get(3), dir), e);
            }
            // A moment for anything extra to show up, then the exact counts.
            Thread.sleep(2_000);
            assertThat(clickHouse.count("SELECT count() FROM steps FINAL" + where)).isEqualTo((long) RUNS * OtlpRuns.STEPS_PER_RUN);
            assertThat(clickHouse.count(runs)).isEqualTo(RUNS);
            assertThat(clickHouse.count("SELECT uniqExact(run_id) FROM runs" + where)).isEqualTo(RUNS);
            assertThat(clickHouse.count("SELECT count() FROM findings FINAL" + where)).isEqualTo(RUNS);
            assertThat(clickHouse.count("SELECT countIf(detector != 'swallowed_error') FROM findings FINAL" + where)).isZero();
            assertThat(clickHouse.count("SELECT max(revision) FROM runs FINAL" + where)).isZero();
            System.out.printf("restart: runs in ClickHouse at kill %d of %d; raw rows before FINAL: steps %d, runs %d, findings %d%n",
                    atKill, RUNS, clickHouse.count("SELECT count() FROM steps" + where),
                    clickHouse.count("SELECT count() FROM runs" + where), clickHouse.count("SELECT count() FROM findings" + where));
        }
    }

    /** What a stalled restart leaves behind: which runs are missing, the offsets, the processes' output. */
    private static String diagnose(ClickHouseProbe clickHouse, String where, long seed, String applicationId, Path dir)
            throws IOException {
        java.util.Set<String> stored = new java.util.HashSet<>();
        clickHouse.rows("SELECT DISTINCT run_id FROM steps FINAL" + where).forEach(row -> stored.add(row.getString(1)));
        List<Integer> missing = new java.util.ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            if (!stored.contains(OtlpRuns.traceId(seed, run))) {
                missing.add(run);
            }
        }
        String bootstrap = TestServices.kafkaBootstrap();
        return "runs without steps: " + missing + "\n"
                + KafkaProgress.describe(bootstrap, Topics.OTLP_SPANS.name(), 3, List.of(applicationId + "-runs"))
                + KafkaProgress.describe(bootstrap, Topics.STEPS.name(), 3, List.of(applicationId + "-sink-steps"))
                + tail(dir.resolve("first.out")) + tail(dir.resolve("second.out"));
    }

    private static String tail(Path output) throws IOException {
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        return "--- " + output.getFileName() + " (last 60 of " + lines.size() + " lines)\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())) + "\n";
    }

    /** Sends runs [from, to) and waits until Kafka acknowledged every one. */
    private static void send(KafkaProducer<String, byte[]> producer, String tenant, long seed, int from, int to,
                             long startNanos) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int run = from; run < to; run++) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.OTLP_SPANS.name(), OtlpRuns.traceId(seed, run),
                    OtlpRuns.swallowedToolError(seed, run, startNanos + run * 10_000_000L).toByteArray());
            record.headers().add(Topics.TENANT_HEADER, tenant.getBytes(StandardCharsets.UTF_8));
            sent.add(producer.send(record));
        }
        for (Future<RecordMetadata> ack : sent) {
            ack.get(60, TimeUnit.SECONDS);
        }
    }

    private static Process startDetectors(List<String> args, Path output) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                // A killed JVM leaves the native libraries it unpacked (RocksDB: 14 MB) in its temp dir.
                "-Djava.io.tmpdir=" + output.getParent(),
                "-cp", System.getProperty("java.class.path"), DetectorsProcess.class.getName()));
        command.addAll(args);
        Process started = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(output, StandardCharsets.UTF_8).contains(DetectorsProcess.READY)) {
                return started;
            }
            if (!started.isAlive()) {
                throw new AssertionError("detectors exited with " + started.exitValue() + ":\n" + Files.readString(output));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("detectors did not start within 120 s:\n" + Files.readString(output));
    }
}
