package dev.agentwatch.alerts;

import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one receiver's notifications from the notifications topic, in its own consumer group
 * and thread, so that a receiver that is down delays nobody else. The offset of a notification is
 * committed only once it is settled: delivered, or dead-lettered with the reason. A restart
 * therefore resumes at the first unsettled notification; the only duplicate possible is one whose
 * receiver answered 2xx just before a crash, and each carries {@code X-Agentwatch-Notification-Id}
 * (and, for PagerDuty, a per-group {@code dedup_key}) for receivers to dedupe on.
 */
final class ReceiverDelivery implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiverDelivery.class);
    private static final Duration SETTLE_RETRY_PAUSE = Duration.ofSeconds(1);

    private final Receiver receiver;
    private final String externalUrl;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Producer<String, DeadLetter> deadLetters;
    private final HttpDelivery http;
    private final RateLimiter rateLimiter = new RateLimiter();
    private final Clock clock;
    private final AlertsMetrics metrics;
    private final boolean reportsUndecodable;
    private volatile boolean running = true;

    /**
     * @param reportsUndecodable whether this loop dead-letters notifications nobody can read
     *                           (exactly one receiver's loop does)
     */
    ReceiverDelivery(Receiver receiver, String externalUrl, String kafkaBootstrap, String groupId,
                     Producer<String, DeadLetter> deadLetters, HttpDelivery http, Clock clock, AlertsMetrics metrics,
                     boolean reportsUndecodable) {
        this.receiver = receiver;
        this.reportsUndecodable = reportsUndecodable;
        this.externalUrl = externalUrl;
        this.deadLetters = deadLetters;
        this.http = http;
        this.clock = clock;
        this.metrics = metrics;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
        // Retries of one notification may take minutes; the group must not evict us meanwhile.
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofMinutes(20).toMillis());
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(AlertTopics.NOTIFICATIONS.name()));
            while (running) {
                List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
                consumer.poll(Duration.ofMillis(500)).forEach(batch::add);
                for (int i = 0; i < batch.size(); i++) {
                    ConsumerRecord<String, byte[]> record = batch.get(i);
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    try {
                        settle(record);
                        commit(partition, record.offset() + 1);
                    } catch (WakeupException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        // Not settled (e.g. the dead-letter write failed): try this record again
                        // after a pause rather than skip it or stop delivering, and with it the rest
                        // of the batch, whatever partition it is on (a later commit would skip it).
                        LOG.atError().setMessage("cannot settle notification, will retry").addKeyValue("receiver", receiver.name())
                                .addKeyValue("partition", record.partition()).addKeyValue("offset", record.offset()).setCause(e).log();
                        giveBack(batch.subList(i, batch.size()));
                        Thread.sleep(SETTLE_RETRY_PAUSE);
                        break;
                    }
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (InterruptedException e) {
            // Stopped mid-delivery: the notification stays uncommitted and is delivered after restart.
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Commits past a settled notification. A {@link #stop()} that woke the consumer while the
     * receiver was taking the notification must not leave it uncommitted (it would be sent again
     * after a restart): the wake-up is spent by the first attempt, so the second one commits.
     */
    private void commit(TopicPartition partition, long next) {
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(partition, new OffsetAndMetadata(next));
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            consumer.commitSync(offsets);
            throw e;
        }
    }

    /** Seeks every partition of {@code unsettled} back to its first record there. */
    private void giveBack(List<ConsumerRecord<String, byte[]>> unsettled) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : unsettled) {
            first.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
        }
        first.forEach(consumer::seek);
    }

    private void settle(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        Notification notification;
        try {
            notification = AlertTopics.NOTIFICATIONS.valueSerde().deserializer().deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            // Every receiver's loop sees it; one of them reports it.
            if (reportsUndecodable) {
                deadLetter(record, null, "undecodable_notification", e.getMessage());
            }
            return;
        }
        if (notification == null || !notification.receiver().equals(receiver.name())) {
            return;
        }
        if (!rateLimiter.tryAcquire(receiver.name(), receiver.maxPerMinute(), clock.millis())) {
            deadLetter(record, notification, "rate_limited", "receiver allows " + receiver.maxPerMinute() + " per minute");
            return;
        }
        DeliveryResult result = http.deliver(receiver, OutgoingRequest.of(receiver, notification, externalUrl), notification.id());
        switch (result) {
            case DeliveryResult.Delivered delivered -> {
                metrics.recordDelivered(receiver.name());
                LOG.atInfo().setMessage("notification delivered").addKeyValue("receiver", receiver.name())
                        .addKeyValue("notification_id", notification.id()).addKeyValue("status", delivered.status())
                        .addKeyValue("attempts", delivered.attempts()).log();
            }
            case DeliveryResult.Failed failed -> deadLetter(record, notification, failed.reason(), failed.detail());
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, Notification notification, String reason, String detail)
            throws InterruptedException {
        metrics.recordDeadLetter(reason);
        LOG.atWarn().setMessage("notification undeliverable, dead-lettered").addKeyValue("receiver", receiver.name())
                .addKeyValue("notification_id", notification == null ? "" : notification.id()).addKeyValue("reason", reason)
                .addKeyValue("detail", detail).log();
        String tenant = notification == null ? "" : notification.groupLabels().getOrDefault("tenant",
                WebhookPayload.common(notification.alerts(), NotifiedAlert::labels).getOrDefault("tenant", ""));
        String id = notification == null ? record.topic() + "-" + record.partition() + "-" + record.offset() : notification.id();
        DeadLetter letter = new DeadLetter(record.topic(), record.partition(), record.offset(), FindingRouter.STAGE, reason,
                "receiver " + receiver.name() + ": " + detail, tenant, record.key() == null ? "" : record.key(), record.value(),
                clock.millis());
        try {
            deadLetters.send(new ProducerRecord<>(Topics.DEAD_LETTERS.name(), id, letter)).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write dead letter for notification " + id, e);
        }
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }
}
