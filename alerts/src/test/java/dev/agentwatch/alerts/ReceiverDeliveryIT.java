package dev.agentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.testkit.TestServices;
import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.TopicCreator;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One receiver's delivery loop on the real broker, with a dead-letter producer whose first write
 * fails: the notification in hand is retried, and so is every later one of the same poll, on
 * every partition.
 */
@Timeout(120)
class ReceiverDeliveryIT {

    /** A dead-letter producer that refuses its first record, then takes every one. */
    private static final class FailingOnce extends MockProducer<String, DeadLetter> {
        private final AtomicBoolean failed = new AtomicBoolean();

        FailingOnce() {
            super(true, null, new StringSerializer(), (topic, letter) -> new byte[0]);
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, DeadLetter> record, Callback callback) {
            if (failed.compareAndSet(false, true)) {
                return CompletableFuture.failedFuture(new IllegalStateException("the broker said no, once"));
            }
            return super.send(record, callback);
        }
    }

    @Test
    void aNotificationThatCannotBeSettledIsRetriedWithEveryLaterOneOfItsPoll() throws Exception {
        String bootstrap = TestServices.kafkaBootstrap();
        TopicCreator.of(3, (short) 1).ensure(bootstrap, List.of(AlertTopics.NOTIFICATIONS));
        Set<String> sent = new java.util.HashSet<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap), new StringSerializer(), new ByteArraySerializer())) {
            for (int partition = 0; partition < 2; partition++) {
                for (int i = 0; i < 3; i++) {
                    RecordMetadata at = producer.send(new ProducerRecord<>(AlertTopics.NOTIFICATIONS.name(), partition,
                            "k", "not a notification".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
                    sent.add(at.partition() + "@" + at.offset());
                }
            }
        }
        FailingOnce deadLetters = new FailingOnce();
        Receiver receiver = new Receiver.Webhook("hook", URI.create("http://127.0.0.1:1/hook"), "0123456789abcdef-secret",
                true, Duration.ofSeconds(1), 0, 0);
        AlertsMetrics metrics = new AlertsMetrics();
        ReceiverDelivery delivery = new ReceiverDelivery(receiver, "", bootstrap, TestServices.uniqueName("delivery-it"),
                deadLetters, new HttpDelivery(HttpClient.newHttpClient(), RetryPolicy.DEFAULTS, Clock.systemUTC(),
                RandomGenerator.getDefault(), metrics), Clock.systemUTC(), metrics, true);
        Thread loop = Thread.ofPlatform().start(delivery);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!lettered(deadLetters).containsAll(sent) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(lettered(deadLetters)).as("every undecodable notification written, the refused one included")
                    .containsAll(sent);
        } finally {
            delivery.stop();
            loop.join(Duration.ofSeconds(30));
        }
    }

    private static Set<String> lettered(MockProducer<String, DeadLetter> deadLetters) {
        return deadLetters.history().stream().map(ProducerRecord::value)
                .filter(letter -> letter.sourceTopic().equals(AlertTopics.NOTIFICATIONS.name()))
                .map(letter -> letter.partition() + "@" + letter.offset()).collect(Collectors.toSet());
    }
}
