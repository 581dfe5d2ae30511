package dev.agentwatch.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Timeout(value = 150, unit = TimeUnit.SECONDS)
class EmbeddedKafkaBounceIT {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBounceIT.class);
    private static final String TOPIC = "bounce";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int IN_FLIGHT_WINDOW = 5_000;

    @TempDir
    Path dataDir;

    @Test
    void idempotentProducerKeepsEveryAcknowledgedRecordExactlyOnceAcrossABrokerRestart() throws Exception {
        EmbeddedKafka first = EmbeddedKafka.start(EmbeddedKafkaConfig.of(dataDir).withFreePorts());
        EmbeddedKafkaConfig config = first.config();
        TestClients.createTopic(first, TOPIC, 3);

        AtomicInteger sent = new AtomicInteger();
        AtomicInteger acked = new AtomicInteger();
        Queue<Exception> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean keepSending = new AtomicBoolean(true);
        KafkaProducer<String, String> producer = TestClients.idempotentProducer(first, Map.of(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000,
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200));
        Thread sender = Thread.ofVirtual().name("bounce-sender").start(() -> {
            while (keepSending.get()) {
                // A bounded window of unacknowledged records keeps the volume small and
                // guarantees records are in flight when the broker goes away.
                if (sent.get() - acked.get() - failures.size() >= IN_FLIGHT_WINDOW) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    continue;
                }
                int i = sent.get();
                producer.send(new ProducerRecord<>(TOPIC, Integer.toString(i), "value-" + i), (metadata, error) -> {
                    if (error == null) {
                        acked.incrementAndGet();
                    } else {
                        failures.add(error);
                    }
                });
                sent.incrementAndGet();
            }
        });

        EmbeddedKafka second = null;
        try {
            Await.until(WAIT, "1000 acknowledged records before the restart", () -> acked.get() >= 1_000);
            first.close();
            int ackedWhileDown = acked.get();
            int sentWhileDown = sent.get();
            LOG.atInfo().addKeyValue("unacknowledged_at_stop", sentWhileDown - ackedWhileDown)
                    .log("broker stopped while the producer was sending");
            second = EmbeddedKafka.start(config);
            Await.until(WAIT, "records sent after the restart to be acknowledged",
                    () -> acked.get() >= sentWhileDown + 1_000);
            keepSending.set(false);
            sender.join(WAIT);
            producer.flush();
            producer.close(WAIT);
            LOG.atInfo().addKeyValue("sent_before_restart", sentWhileDown)
                    .addKeyValue("acked_before_restart", ackedWhileDown)
                    .addKeyValue("sent_total", sent.get())
                    .log("producer kept sending across the broker restart");

            assertThat(failures).isEmpty();
            assertThat(acked.get()).isEqualTo(sent.get());
            List<ConsumerRecord<String, String>> records =
                    TestClients.readAll(second, TOPIC, sent.get(), WAIT);
            Map<String, Long> copiesPerValue = records.stream()
                    .collect(Collectors.groupingBy(ConsumerRecord::value, Collectors.counting()));
            Map<String, Long> exactlyOnce = IntStream.range(0, sent.get()).mapToObj(i -> "value-" + i)
                    .collect(Collectors.toMap(Function.identity(), v -> 1L));
            assertThat(copiesPerValue).isEqualTo(exactlyOnce);
        } finally {
            keepSending.set(false);
            producer.close(Duration.ZERO);
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }
}
