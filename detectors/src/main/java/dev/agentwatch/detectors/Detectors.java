package dev.agentwatch.detectors;

import com.clickhouse.client.api.Client;
import dev.agentwatch.clickhouse.ClickHouseBatchWriter;
import dev.agentwatch.clickhouse.ClickHouseClients;
import dev.agentwatch.clickhouse.StepRowEncoder;
import dev.agentwatch.detectors.normalize.NormalizeMetrics;
import dev.agentwatch.detectors.normalize.NormalizeTopology;
import dev.agentwatch.detectors.sink.ClickHouseSink;
import dev.agentwatch.detectors.sink.SinkMetrics;
import dev.agentwatch.model.otlp.OtlpSpanMapper;
import dev.agentwatch.model.PriceTable;
import dev.agentwatch.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detectors runtime: the Kafka Streams pipelines and the ClickHouse sinks of their output
 * topics. Topologies are built by their own classes; this class only runs them.
 */
public final class Detectors implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Detectors.class);

    private final KafkaStreams normalizeStreams;
    private final Client clickHouse;
    private final ClickHouseSink<?> stepsSink;
    private final NormalizeMetrics normalizeMetrics;
    private final SinkMetrics sinkMetrics;

    private Detectors(KafkaStreams normalizeStreams, Client clickHouse, ClickHouseSink<?> stepsSink,
                      NormalizeMetrics normalizeMetrics, SinkMetrics sinkMetrics) {
        this.normalizeStreams = normalizeStreams;
        this.clickHouse = clickHouse;
        this.stepsSink = stepsSink;
        this.normalizeMetrics = normalizeMetrics;
        this.sinkMetrics = sinkMetrics;
    }

    /** Starts the pipelines and sinks and waits until the streams are running. */
    public static Detectors start(DetectorsConfig config) {
        NormalizeMetrics normalizeMetrics = new NormalizeMetrics();
        SinkMetrics sinkMetrics = new SinkMetrics();
        OtlpSpanMapper mapper = new OtlpSpanMapper(PriceTable.defaults());
        KafkaStreams streams = new KafkaStreams(NormalizeTopology.build(mapper, normalizeMetrics),
                streamsProperties(config, "normalize"));
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            LOG.info("streams state pipeline=normalize from={} to={}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();

        Client client = ClickHouseClients.create(config.clickHouse());
        ClickHouseSink<?> stepsSink = new ClickHouseSink<>(config.kafkaBootstrap(), config.applicationId() + "-sink-steps",
                Topics.STEPS, new ClickHouseBatchWriter<>(client, new StepRowEncoder()), config.clickHouse().batchRows(),
                config.clickHouse().batchAge(), config.instanceId(), Clock.systemUTC(), sinkMetrics).start();
        try {
            if (!running.await(120, TimeUnit.SECONDS)) {
                LOG.warn("streams not RUNNING after 120 s; continuing, state={}", streams.state());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Detectors(streams, client, stepsSink, normalizeMetrics, sinkMetrics);
    }

    static Properties streamsProperties(DetectorsConfig config, String pipeline) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId() + "-" + pipeline);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().resolve(pipeline).toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        // A record that cannot even be deserialized as bytes is logged and skipped; decoding
        // errors of the payload itself are dead-lettered by the topology.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        // Static membership: Kafka Streams appends the thread index to make it unique per thread.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), config.instanceId());
        return props;
    }

    public NormalizeMetrics normalizeMetrics() {
        return normalizeMetrics;
    }

    public SinkMetrics sinkMetrics() {
        return sinkMetrics;
    }

    public KafkaStreams.State state() {
        return normalizeStreams.state();
    }

    /** Stops the streams (committing their progress), then drains and closes the sinks. */
    @Override
    public void close() {
        normalizeStreams.close(Duration.ofSeconds(30));
        stepsSink.close();
        clickHouse.close();
        LOG.info("detectors stopped");
    }
}
