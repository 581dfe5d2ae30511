package dev.agentwatch.detectors.sink;

import dev.agentwatch.clickhouse.ClickHouseBatchWriter;
import dev.agentwatch.clickhouse.ClickHouseWriteException;
import dev.agentwatch.topics.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one topic into one ClickHouse table (a row per record, or the rows a record holds, as
 * {@code agentwatch_steps} holds a run's steps): buffer, flush on size or age, and commit the
 * consumer offsets only after ClickHouse took the batch. When ClickHouse is down the sink keeps
 * the batch, backs off and retries without committing, so nothing is lost; a crash between write
 * and commit re-delivers the batch, which the ReplacingMergeTree tables collapse.
 *
 * <p>A record that cannot be decoded is counted and skipped (it stays in the topic, and the
 * producing pipeline already dead-letters its own failures). Runs on its own thread.
 */
public final class ClickHouseSink<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClickHouseSink.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String topicName;
    /** A record's value as rows: null when it cannot be decoded. */
    private final Function<byte[], List<T>> rowsOf;
    private final ClickHouseBatchWriter<T> writer;
    private final Map<String, Object> consumerConfig;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private final int batchRows;
    private final Duration batchAge;
    private final Clock clock;
    private final SinkMetrics metrics;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;

    private final List<T> buffer = new ArrayList<>();
    private final Map<TopicPartition, OffsetAndMetadata> pendingOffsets = new HashMap<>();
    private long bufferStartedMillis = -1;

    /** A sink that writes a row per record. */
    public ClickHouseSink(String bootstrapServers, String groupId, Topic<String, T> topic,
                          ClickHouseBatchWriter<T> writer, int batchRows, Duration batchAge, String instanceId,
                          Clock clock, SinkMetrics metrics) {
        this(bootstrapServers, groupId, topic, List::of, writer, batchRows, batchAge, instanceId, clock, metrics);
    }

    /** A sink that writes the {@code rows} of each record (a batch of them, in order). */
    public <V> ClickHouseSink(String bootstrapServers, String groupId, Topic<String, V> topic, Function<V, List<T>> rows,
                              ClickHouseBatchWriter<T> writer, int batchRows, Duration batchAge, String instanceId,
                              Clock clock, SinkMetrics metrics) {
        this.topicName = topic.name();
        Deserializer<V> values = topic.valueSerde().deserializer();
        this.rowsOf = bytes -> {
            V value = values.deserialize(topic.name(), bytes);
            return value == null ? null : rows.apply(value);
        };
        this.writer = writer;
        this.batchRows = batchRows;
        this.batchAge = batchAge;
        this.clock = clock;
        this.metrics = metrics;
        this.consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(batchRows, 5_000),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + topicName,
                // Static membership: a restarted sink takes its partitions back without waiting
                // for the session timeout of its previous incarnation.
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        this.consumer = newConsumer();
        this.thread = Thread.ofPlatform().name("clickhouse-sink-" + writer.table()).unstarted(this::run);
    }

    public ClickHouseSink<T> start() {
        thread.start();
        return this;
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        return new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Consumes until closed. An unexpected failure (a commit refused mid-rebalance, a row that
     * cannot be encoded, a bug) must not leave a live process with a dead sink: the sink drops what
     * it buffered, starts a fresh consumer from the last committed offsets, and goes on.
     */
    private void run() {
        Duration backoff = Duration.ofMillis(200);
        try {
            while (running.get()) {
                try {
                    consume();
                } catch (WakeupException e) {
                    if (running.get()) {
                        throw e;
                    }
                    flushOnce();
                } catch (RuntimeException e) {
                    if (!running.get()) {
                        break;
                    }
                    metrics.restarted(writer.table(), clock.millis());
                    LOG.error("sink failed, restarting from the last committed offsets in {} table={} rows_dropped={}",
                            backoff, writer.table(), buffer.size(), e);
                    buffer.clear();
                    pendingOffsets.clear();
                    closeQuietly(consumer);
                    sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                    if (running.get()) {
                        consumer = newConsumer();
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("sink stopped by an unexpected error table={}", writer.table(), e);
        } finally {
            closeQuietly(consumer);
            stopped.countDown();
        }
    }

    private void consume() {
        consumer.subscribe(List.of(topicName), new FlushOnRevoke());
        while (running.get()) {
            ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
            for (ConsumerRecord<String, byte[]> record : records) {
                add(record);
            }
            if (shouldFlush()) {
                flushUntilWritten();
            }
        }
        flushUntilWritten();
    }

    private static void closeQuietly(KafkaConsumer<String, byte[]> consumer) {
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debug("closing a failed consumer: {}", e.toString());
        }
    }

    private void sleep(Duration wait) {
        long until = clock.millis() + wait.toMillis();
        try {
            while (running.get() && clock.millis() < until) {
                Thread.sleep(Math.min(100, Math.max(1, until - clock.millis())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    private void add(ConsumerRecord<String, byte[]> record) {
        List<T> rows;
        try {
            rows = record.value() == null ? null : rowsOf.apply(record.value());
        } catch (SerializationException e) {
            metrics.undecodable(writer.table());
            LOG.warn("skipping undecodable record topic={} partition={} offset={} reason={}", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
            rows = null;
        }
        if (rows != null && !rows.isEmpty()) {
            if (buffer.isEmpty()) {
                bufferStartedMillis = clock.millis();
            }
            buffer.addAll(rows);
        }
        pendingOffsets.put(new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset() + 1));
    }

    private boolean shouldFlush() {
        if (pendingOffsets.isEmpty()) {
            return false;
        }
        return buffer.size() >= batchRows || buffer.isEmpty()
                || clock.millis() - bufferStartedMillis >= batchAge.toMillis();
    }

    /** Retries with backoff until the batch is written or the sink is stopped. */
    private void flushUntilWritten() {
        Duration backoff = Duration.ofMillis(200);
        while (!pendingOffsets.isEmpty()) {
            if (flushOnce()) {
                return;
            }
            if (!running.get()) {
                LOG.warn("stopping with an unwritten batch table={} rows={}; it will be re-read from Kafka",
                        writer.table(), buffer.size());
                return;
            }
            pauseFor(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private boolean flushOnce() {
        if (pendingOffsets.isEmpty()) {
            return true;
        }
        try {
            long written = writer.write(buffer);
            consumer.commitSync(pendingOffsets);
            metrics.written(writer.table(), buffer.size());
            LOG.debug("flushed table={} rows={} written={}", writer.table(), buffer.size(), written);
            buffer.clear();
            pendingOffsets.clear();
            return true;
        } catch (ClickHouseWriteException e) {
            metrics.retried(writer.table(), clock.millis());
            LOG.warn("ClickHouse write failed, will retry table={} rows={} error={}", writer.table(), buffer.size(),
                    e.getMessage());
            return false;
        }
    }

    /**
     * Waits while keeping the consumer in its group: paused partitions still poll. A rebalance
     * during the wait hands partitions back unpaused, so each poll pauses what is assigned then,
     * and records a poll returns anyway are given back (the consumer seeks to the first of them):
     * dropping them would let a later commit skip rows that never reached ClickHouse.
     */
    private void pauseFor(Duration wait) {
        long until = clock.millis() + wait.toMillis();
        try {
            while (running.get() && clock.millis() < until) {
                consumer.pause(consumer.assignment());
                giveBack(consumer.poll(Duration.ofMillis(Math.min(100, Math.max(1, until - clock.millis())))));
            }
        } finally {
            consumer.resume(consumer.assignment());
        }
    }

    private void giveBack(ConsumerRecords<String, byte[]> unread) {
        for (TopicPartition partition : unread.partitions()) {
            consumer.seek(partition, unread.records(partition).getFirst().offset());
        }
    }

    /** Before partitions move to another instance, write what we hold for them or give it back. */
    private final class FlushOnRevoke implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!flushOnce()) {
                // Not committed: the new owner re-reads these records from the last commit.
                buffer.clear();
                pendingOffsets.clear();
                for (TopicPartition partition : consumer.assignment()) {
                    OffsetAndMetadata committed = consumer.committed(Set.of(partition)).get(partition);
                    consumer.seek(partition, committed == null ? 0 : committed.offset());
                }
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
