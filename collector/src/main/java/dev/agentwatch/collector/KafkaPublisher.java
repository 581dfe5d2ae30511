package dev.agentwatch.collector;

import dev.agentwatch.model.Outcome;
import dev.agentwatch.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what the collector accepted to Kafka: one {@code otlp_spans} record per trace, and
 * outcomes to {@code agentwatch_outcomes}, each with the tenant in the {@link Topics#TENANT_HEADER}
 * header. Idempotent producer with {@code acks=all}: a returned future completes only when every
 * record of the request is acknowledged, and only then does the collector answer success.
 * Thread-safe (one shared producer).
 */
public final class KafkaPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

    /** One record to write: key, serialized value. */
    public record Payload(String key, byte[] value) {
    }

    private final KafkaProducer<String, byte[]> producer;
    private final CollectorMetrics metrics;
    private final int sendTimeoutMillis;
    private final Serializer<Outcome> outcomeSerializer = Topics.OUTCOMES.valueSerde().serializer();

    public KafkaPublisher(String bootstrapServers, int sendTimeoutMillis, CollectorMetrics metrics) {
        this.metrics = metrics;
        this.sendTimeoutMillis = sendTimeoutMillis;
        this.producer = new KafkaProducer<>(Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, 5),
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024),
                Map.entry(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20),
                // A request waits at most this long; then the client is told to retry (503).
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeoutMillis),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(sendTimeoutMillis, 5_000 + 1_000)),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "agentwatch-collector")),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends one {@code otlp_spans} record per payload; completes when all are acknowledged. */
    public CompletableFuture<Void> publishSpans(String tenant, List<Payload> traces) {
        return send(Topics.OTLP_SPANS.name(), tenant, traces);
    }

    /** Sends outcomes keyed by {@link Outcome#key()}; completes when all are acknowledged. */
    public CompletableFuture<Void> publishOutcomes(String tenant, List<Outcome> outcomes) {
        List<Payload> payloads = outcomes.stream()
                .map(o -> new Payload(o.key(), outcomeSerializer.serialize(Topics.OUTCOMES.name(), o)))
                .toList();
        return send(Topics.OUTCOMES.name(), tenant, payloads);
    }

    /**
     * Waits for {@code acks} within the send timeout. A failure becomes a 503 with
     * {@code Retry-After} (retryable), or a 413 for a record Kafka will never take.
     */
    void await(CompletableFuture<Void> acks, String tenant, String what) throws Rejection {
        try {
            acks.get(sendTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Rejection.kafkaUnavailable("interrupted");
        } catch (TimeoutException e) {
            metrics.kafkaError("timeout");
            throw Rejection.kafkaUnavailable("Kafka did not acknowledge within " + sendTimeoutMillis + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            metrics.kafkaError(cause.getClass().getSimpleName());
            if (cause instanceof RecordTooLargeException) {
                throw new Rejection(413, "record_too_large", what + " too large for Kafka: " + cause.getMessage());
            }
            LOG.warn("publish failed tenant={} what={} error={}", tenant, what, cause.toString());
            throw Rejection.kafkaUnavailable("Kafka refused the records: " + cause.getClass().getSimpleName());
        }
    }

    private CompletableFuture<Void> send(String topic, String tenant, List<Payload> payloads) {
        List<Header> headers = List.of(new RecordHeader(Topics.TENANT_HEADER, tenant.getBytes(StandardCharsets.UTF_8)));
        CompletableFuture<Void> all = new CompletableFuture<>();
        AtomicInteger pending = new AtomicInteger(payloads.size());
        if (payloads.isEmpty()) {
            all.complete(null);
            return all;
        }
        for (Payload payload : payloads) {
            if (all.isDone()) {
                // A send that timed out waiting for metadata or buffer space fails through its
                // callback, not by throwing: without this check each later record would block as long.
                break;
            }
            try {
                producer.send(new ProducerRecord<>(topic, null, payload.key(), payload.value(), headers), (metadata, error) -> {
                    if (error != null) {
                        all.completeExceptionally(error);
                    } else if (pending.decrementAndGet() == 0) {
                        all.complete(null);
                    }
                });
            } catch (RuntimeException e) {
                all.completeExceptionally(e);
                break;
            }
        }
        return all;
    }

    @Override
    public void close() {
        producer.close();
    }
}
