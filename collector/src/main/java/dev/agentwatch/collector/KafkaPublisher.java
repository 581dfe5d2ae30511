package dev.agentwatch.collector;

import dev.agentwatch.collector.TraceSplitter.TraceBatch;
import dev.agentwatch.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes one Kafka record per trace to {@code otlp_spans}, with the tenant in a header.
 * Idempotent producer with {@code acks=all}: the returned future completes only when every
 * record of the request is acknowledged, and only then does the collector answer success.
 * Thread-safe (one shared producer).
 */
public final class SpanPublisher implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;

    public SpanPublisher(String bootstrapServers, int sendTimeoutMillis) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                // A request waits at most this long; then the client is told to retry (503).
                ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeoutMillis,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(sendTimeoutMillis, 5_000 + 1_000),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.CLIENT_ID_CONFIG, "agentwatch-collector"),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Completes when Kafka acknowledged every record, or exceptionally with the first failure. */
    public CompletableFuture<Void> publish(String tenant, List<TraceBatch> traces) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(traces.size());
        byte[] tenantBytes = tenant.getBytes(StandardCharsets.UTF_8);
        for (TraceBatch trace : traces) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.OTLP_SPANS.name(), null,
                    trace.traceIdHex(), trace.request().toByteArray(),
                    List.of(new RecordHeader(Topics.TENANT_HEADER, tenantBytes)));
            CompletableFuture<Void> ack = new CompletableFuture<>();
            try {
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        ack.complete(null);
                    } else {
                        ack.completeExceptionally(error);
                    }
                });
            } catch (RuntimeException e) {
                ack.completeExceptionally(e);
            }
            acks.add(ack);
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        producer.close();
    }
}
