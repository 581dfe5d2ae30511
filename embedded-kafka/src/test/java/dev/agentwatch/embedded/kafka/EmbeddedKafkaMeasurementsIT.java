package dev.agentwatch.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Prints start times, memory and produce throughput; the figures are reported, never asserted. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedKafkaMeasurementsIT {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaMeasurementsIT.class);
    private static final Duration PRODUCE_FOR = Duration.ofSeconds(5);
    private static final int RECORD_BYTES = 1024;

    @TempDir
    Path dataDir;

    @Test
    void reportsStartTimesMemoryAndLz4ProduceThroughput() throws Exception {
        long t0 = System.nanoTime();
        EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.of(dataDir).withFreePorts());
        long firstStartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        EmbeddedKafkaConfig config = kafka.config();
        kafka.close();

        t0 = System.nanoTime();
        kafka = EmbeddedKafka.start(config);
        long restartMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        try {
            System.gc();
            long heapUsedMiB = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
            LOG.atInfo().addKeyValue("first_start_with_format_ms", firstStartMillis)
                    .addKeyValue("restart_ms", restartMillis)
                    .addKeyValue("heap_used_after_gc_mib", heapUsedMiB)
                    .addKeyValue("rss", residentSetSize())
                    .log("MEASURED broker start and memory (test JVM incl. broker)");

            TestClients.createTopic(kafka, "throughput", 3);
            measureThroughput(kafka);
        } finally {
            kafka.close();
        }
    }

    private static void measureThroughput(EmbeddedKafka kafka) {
        List<String> values = jsonLikeValues(1_024);
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + PRODUCE_FOR.toNanos();
        long sent = 0;
        try (KafkaProducer<String, String> producer = TestClients.idempotentProducer(kafka, Map.of(
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024))) {
            while (System.nanoTime() - end < 0) {
                producer.send(new ProducerRecord<>("throughput", Long.toString(sent), values.get((int) (sent % values.size()))), (metadata, error) -> {
                    if (error == null) {
                        acked.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                });
                sent++;
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.atInfo().addKeyValue("records_acked", acked.get())
                .addKeyValue("records_failed", failed.get())
                .addKeyValue("seconds", String.format("%.2f", seconds))
                .addKeyValue("records_per_s", String.format("%.0f", acked.get() / seconds))
                .addKeyValue("mib_per_s", String.format("%.1f", acked.get() * RECORD_BYTES / seconds / (1 << 20)))
                .log("MEASURED produce throughput, 1 KiB values, lz4, acks=all, idempotent");
        assertThat(acked.get()).as("the measurement produced something").isPositive();
    }

    // Text with repeated field names and words, like serialized spans, so lz4 has realistic work.
    private static List<String> jsonLikeValues(int count) {
        String[] words = {"\"trace_id\":", "\"span\":", "\"tool\":", "\"status\":", "\"ok\"", "\"error\"",
            "search", "fetch", "agent", "run", "step", "latency", "tokens", "model", "retry", "{", "}", ",", " "};
        Random random = new Random(42);
        List<String> values = new ArrayList<>(count);
        for (int v = 0; v < count; v++) {
            StringBuilder value = new StringBuilder(RECORD_BYTES);
            while (value.length() < RECORD_BYTES) {
                value.append(random.nextInt(3) == 0 ? Long.toHexString(random.nextLong()) : words[random.nextInt(words.length)]);
            }
            values.add(value.substring(0, RECORD_BYTES));
        }
        return values;
    }

    private static String residentSetSize() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .map(line -> line.substring("VmRSS:".length()).strip())
                    .findFirst()
                    .orElse("n/a");
        } catch (IOException e) {
            return "n/a (" + e.getMessage() + ")";
        }
    }
}
