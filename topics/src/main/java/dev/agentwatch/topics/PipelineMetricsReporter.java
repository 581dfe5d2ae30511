package dev.agentwatch.topics;

import dev.agentwatch.model.PipelineMetric;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a component's health readings to {@link Topics#PIPELINE_METRICS} every interval, so
 * that the Pipeline health dashboard sees rejections, dead letters, lag and retries without a
 * separate metrics system. Best effort: a reading that cannot be published is dropped and the
 * next one carries the cumulative counters anyway.
 */
public final class PipelineMetricsReporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineMetricsReporter.class);

    private final KafkaProducer<String, PipelineMetric> producer;
    private final ScheduledExecutorService scheduler;
    private final Supplier<List<PipelineMetric>> readings;

    private PipelineMetricsReporter(String bootstrapServers, String clientId, Supplier<List<PipelineMetric>> readings) {
        Serializer<PipelineMetric> values = Topics.PIPELINE_METRICS.valueSerde().serializer();
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.LINGER_MS_CONFIG, 50,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000),
                new StringSerializer(), values);
        this.readings = readings;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("pipeline-metrics-" + clientId).factory());
    }

    /** Starts publishing {@code readings} every {@code intervalMillis}. */
    public static PipelineMetricsReporter start(String bootstrapServers, String clientId, long intervalMillis,
                                                Supplier<List<PipelineMetric>> readings) {
        PipelineMetricsReporter reporter = new PipelineMetricsReporter(bootstrapServers, clientId, readings);
        reporter.scheduler.scheduleAtFixedRate(reporter::publish, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        return reporter;
    }

    private void publish() {
        try {
            for (PipelineMetric reading : readings.get()) {
                producer.send(new ProducerRecord<>(Topics.PIPELINE_METRICS.name(),
                        reading.component() + "/" + reading.instance(), reading));
            }
        } catch (RuntimeException e) {
            LOG.debug("pipeline metrics not published this time: {}", e.toString());
        }
    }

    /** Publishes a last reading, then stops. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        publish();
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
