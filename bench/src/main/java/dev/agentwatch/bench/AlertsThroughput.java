package dev.agentwatch.bench;

import com.sun.net.httpserver.HttpServer;
import dev.agentwatch.alerts.AlertNotifier;
import dev.agentwatch.alerts.AlertNotifierConfig;
import dev.agentwatch.alerts.AlertsConfig;
import dev.agentwatch.embedded.kafka.EmbeddedKafka;
import dev.agentwatch.embedded.kafka.EmbeddedKafkaConfig;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Severity;
import dev.agentwatch.topics.TopicCreator;
import dev.agentwatch.topics.Topics;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The alert notifier on the embedded broker with a signed webhook receiver on 127.0.0.1. Prints,
 * for one run on this machine:
 * <ol>
 *   <li>grouping throughput: findings/s from a preloaded {@code agentwatch_findings} into
 *       aggregation groups (exactly-once, changelogged store);</li>
 *   <li>delivery throughput: notifications/s decided and delivered (HTTP POST, HMAC-signed, offset
 *       committed per notification) for one notification per group;</li>
 *   <li>latency: finding produced → webhook received, p50/p99, with group_wait 0 and a 1 s flush
 *       tick (the tick bounds it).</li>
 * </ol>
 * Arguments: {@code [findings=20000] [groups=2000] [latencyFindings=200]}. Asserts nothing.
 */
public final class AlertsThroughput {
    private AlertsThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int findings = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int groups = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int latencyFindings = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Path work = Files.createTempDirectory("bench-alerts");
        print("machine: %d cores, max heap %d MiB", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        Map<String, Long> receivedAtNanos = new ConcurrentHashMap<>();
        AtomicLong requests = new AtomicLong();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        receiver.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                long now = System.nanoTime();
                int at = body.indexOf("\"fingerprint\":\"");
                while (at >= 0) {
                    int start = at + 15;
                    receivedAtNanos.putIfAbsent(body.substring(start, body.indexOf('"', start)), now);
                    at = body.indexOf("\"fingerprint\":\"", start);
                }
                requests.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
            }
        });
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";

        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.of(work.resolve("kafka")).withFreePorts()
                .withDefaultPartitions(3));
             KafkaProducer<String, Finding> producer = producer(kafka.bootstrapServers())) {
            TopicCreator.of(3, (short) 1).ensure(kafka.bootstrapServers(), List.of(Topics.FINDINGS));
            long produceStart = System.nanoTime();
            for (int i = 0; i < findings; i++) {
                Finding finding = finding("bulk-" + i, "run-" + (i % groups), System.currentTimeMillis());
                producer.send(new ProducerRecord<>(Topics.FINDINGS.name(), finding.fingerprint(), finding));
            }
            producer.flush();
            print("preloaded %d findings in %d groups (%.1f s)", findings, groups, seconds(produceStart));

            AlertsConfig config = AlertsConfig.parse("""
                    route:
                      receiver: hook
                      group_by: [tenant, run_id]
                      group_wait: 0s
                      group_interval: 1m
                      repeat_interval: 4h
                    receivers:
                      - name: hook
                        webhook: {url: "%s", secret: "bench-secret-0123456789abcdef"}
                    """.formatted(url));
            AlertNotifierConfig notifierConfig = new AlertNotifierConfig(kafka.bootstrapServers(), "bench-alerts",
                    work.resolve("state"), "exactly_once_v2", "127.0.0.1", 0, Duration.ofSeconds(1), 3, (short) 1, "bench-1");
            long start = System.nanoTime();
            try (AlertNotifier notifier = AlertNotifier.start(notifierConfig, config)) {
                await(() -> notifier.metrics().alertsGrouped("hook"), findings, Duration.ofMinutes(10));
                double groupedSeconds = seconds(start);
                await(() -> notifier.metrics().delivered("hook"), groups, Duration.ofMinutes(10));
                double deliveredSeconds = seconds(start);
                print("grouping: %d findings into groups in %.1f s after start: %.0f findings/s (start included)", findings,
                        groupedSeconds, findings / groupedSeconds);
                print("delivery: %d notifications (%d HTTP requests) delivered %.1f s after start: %.0f notifications/s overall",
                        notifier.metrics().delivered("hook"), requests.get(), deliveredSeconds, groups / deliveredSeconds);

                Map<String, Long> producedAtNanos = new ConcurrentHashMap<>();
                for (int i = 0; i < latencyFindings; i++) {
                    Finding finding = finding("latency-" + i, "latency-run-" + i, System.currentTimeMillis());
                    producedAtNanos.put(finding.fingerprint(), System.nanoTime());
                    producer.send(new ProducerRecord<>(Topics.FINDINGS.name(), finding.fingerprint(), finding)).get();
                    Thread.sleep(20);
                }
                await(() -> producedAtNanos.keySet().stream().filter(receivedAtNanos::containsKey).count(), latencyFindings,
                        Duration.ofMinutes(2));
                List<Long> millis = new ArrayList<>();
                producedAtNanos.forEach((fingerprint, produced) -> millis.add((receivedAtNanos.get(fingerprint) - produced) / 1_000_000));
                Collections.sort(millis);
                print("latency: finding produced -> signed webhook received, %d findings at ~50/s: p50 %d ms, p99 %d ms, max %d ms "
                        + "(group_wait 0, flush tick 1 s)", latencyFindings, millis.get(millis.size() / 2),
                        millis.get((int) Math.ceil(millis.size() * 0.99) - 1), millis.getLast());
            }
        } finally {
            receiver.stop(0);
        }
    }

    private static Finding finding(String fingerprint, String runId, long detectedMillis) {
        return new Finding(fingerprint, "tool_loop", Severity.ERROR, "bench", "claims-agent", "2.1.0", runId, "", "",
                "agent repeated a tool call", detectedMillis * 1_000_000L, detectedMillis, Map.of("calls", "14"), Map.of());
    }

    private static KafkaProducer<String, Finding> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, Topics.FINDINGS.keySerde().serializer(), Topics.FINDINGS.valueSerde().serializer());
    }

    private static void await(LongSupplier counter, long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (counter.getAsLong() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stuck at " + counter.getAsLong() + " of " + expected + " after " + timeout);
            }
            Thread.sleep(50);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void print(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
