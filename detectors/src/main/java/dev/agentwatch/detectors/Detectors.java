package dev.agentwatch.detectors;

import com.clickhouse.client.api.Client;
import dev.agentwatch.clickhouse.PipelineMetricRowEncoder;
import dev.agentwatch.detectors.detect.RunDetector;
import dev.agentwatch.detectors.health.ConsumerLag;
import dev.agentwatch.detectors.health.HealthReport;
import dev.agentwatch.detectors.health.RecentFailures;
import dev.agentwatch.detectors.sink.DeadLetterRowEncoder;
import dev.agentwatch.model.PipelineMetric;
import dev.agentwatch.model.StepBatch;
import dev.agentwatch.topics.PipelineMetricsReporter;
import dev.agentwatch.clickhouse.AgentMetricsRowEncoder;
import dev.agentwatch.clickhouse.ClickHouseBatchWriter;
import dev.agentwatch.clickhouse.ClickHouseClients;
import dev.agentwatch.clickhouse.ClickHouseConfig;
import dev.agentwatch.clickhouse.FindingRowEncoder;
import dev.agentwatch.clickhouse.RowEncoder;
import dev.agentwatch.clickhouse.RunRowEncoder;
import dev.agentwatch.clickhouse.StepMetricsRowEncoder;
import dev.agentwatch.clickhouse.StepRowEncoder;
import dev.agentwatch.detectors.metrics.MetricsTopology;
import dev.agentwatch.detectors.normalize.NormalizeMetrics;
import dev.agentwatch.detectors.outcomes.OutcomeMetrics;
import dev.agentwatch.detectors.outcomes.OutcomeReconciliationTopology;
import dev.agentwatch.detectors.outcomes.ReconciliationRowEncoder;
import dev.agentwatch.detectors.outcomes.RunReviewRowEncoder;
import dev.agentwatch.detectors.runs.RunTopology;
import dev.agentwatch.detectors.sink.ClickHouseSink;
import dev.agentwatch.detectors.sink.SinkMetrics;
import dev.agentwatch.model.otlp.OtlpSpanMapper;
import dev.agentwatch.topics.Topic;
import dev.agentwatch.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detectors runtime: three Kafka Streams applications (runs: normalization and run assembly;
 * metrics; outcomes; see their topologies) and the ClickHouse sinks of their output topics (steps,
 * runs, findings, step_metrics_1m, agent_metrics_1m, outcome_reconciliations, run_reviews).
 * Topologies are built by their own classes; this class only runs them. Thread-safe to close once.
 */
public final class Detectors implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Detectors.class);
    /** Sink names, each with its own consumer group. */
    private static final List<String> SINKS = List.of("steps", "runs", "findings", "step-metrics", "agent-metrics",
            "reconciliations", "run-reviews", "pipeline-metrics", "dead-letters");

    private final Map<String, KafkaStreams> streams;
    private final Client clickHouse;
    private final List<ClickHouseSink<?>> sinks;
    private final NormalizeMetrics normalizeMetrics;
    private final DetectorMetrics detectorMetrics;
    private final SinkMetrics sinkMetrics;
    private final OutcomeMetrics outcomeMetrics;
    private final PipelineMetricsReporter healthReporter;
    private final ConsumerLag consumerLag;
    private final RecentFailures threadFailures;
    private final String instanceId;

    private Detectors(String instanceId, Map<String, KafkaStreams> streams, Client clickHouse, List<ClickHouseSink<?>> sinks,
                      NormalizeMetrics normalizeMetrics, DetectorMetrics detectorMetrics, SinkMetrics sinkMetrics,
                      OutcomeMetrics outcomeMetrics, PipelineMetricsReporter healthReporter, ConsumerLag consumerLag,
                      RecentFailures threadFailures) {
        this.streams = streams;
        this.clickHouse = clickHouse;
        this.sinks = sinks;
        this.normalizeMetrics = normalizeMetrics;
        this.detectorMetrics = detectorMetrics;
        this.sinkMetrics = sinkMetrics;
        this.outcomeMetrics = outcomeMetrics;
        this.healthReporter = healthReporter;
        this.consumerLag = consumerLag;
        this.threadFailures = threadFailures;
        this.instanceId = instanceId;
    }

    /** Starts the pipelines and sinks and waits until the streams are running. */
    public static Detectors start(DetectorsConfig config) {
        NormalizeMetrics normalizeMetrics = new NormalizeMetrics();
        List<RunDetector> runDetectors = config.detection().runDetectors();
        DetectorMetrics detectorMetrics = DetectorMetrics.startingAtZero(runDetectors.stream().map(RunDetector::name).toList(),
                RunDetector.disprovableNames(runDetectors));
        SinkMetrics sinkMetrics = new SinkMetrics();
        OutcomeMetrics outcomeMetrics = new OutcomeMetrics();
        OtlpSpanMapper mapper = new OtlpSpanMapper(config.detection().prices());
        Map<String, Topology> topologies = new LinkedHashMap<>();
        topologies.put("runs", RunTopology.buildFromSpans(config.detection(), mapper, normalizeMetrics, detectorMetrics));
        topologies.put("metrics", MetricsTopology.build(config.detection(), detectorMetrics));
        topologies.put("outcomes", OutcomeReconciliationTopology.build(config.outcomes(), Clock.systemUTC(),
                outcomeMetrics));

        Map<String, KafkaStreams> streams = new LinkedHashMap<>();
        RecentFailures threadFailures = new RecentFailures(HealthReport.Limits.defaults().window());
        CountDownLatch running = new CountDownLatch(topologies.size());
        java.util.Set<String> ranOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        topologies.forEach((pipeline, topology) -> {
            KafkaStreams app = new KafkaStreams(topology, streamsProperties(config, pipeline));
            // A stream thread that dies (e.g. a producer fenced or out of sequence under load) is
            // replaced: it resumes from the last committed transaction, so nothing is lost or doubled,
            // where the default would shut the whole pipeline down for good.
            app.setUncaughtExceptionHandler(error -> {
                LOG.error("stream thread failed, replacing it pipeline={}", pipeline, error);
                threadFailures.record(pipeline, System.currentTimeMillis());
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            app.setStateListener((now, before) -> {
                LOG.info("streams state pipeline={} from={} to={}", pipeline, before, now);
                if (now == KafkaStreams.State.RUNNING && ranOnce.add(pipeline)) {
                    running.countDown();
                }
            });
            streams.put(pipeline, app);
        });
        streams.values().forEach(KafkaStreams::start);

        Client client = ClickHouseClients.create(config.clickHouse());
        List<ClickHouseSink<?>> sinks = new ArrayList<>();
        sinks.add(sink(config, client, sinkMetrics, "steps", Topics.STEPS, StepBatch::steps, new StepRowEncoder()));
        sinks.add(sink(config, client, sinkMetrics, "runs", Topics.RUNS, new RunRowEncoder()));
        sinks.add(sink(config, client, sinkMetrics, "findings", Topics.FINDINGS, new FindingRowEncoder()));
        sinks.add(sink(config, client, sinkMetrics, "step-metrics", Topics.STEP_METRICS, new StepMetricsRowEncoder()));
        sinks.add(sink(config, client, sinkMetrics, "agent-metrics", Topics.AGENT_METRICS, new AgentMetricsRowEncoder()));
        sinks.add(sink(config, client, sinkMetrics, "reconciliations", Topics.RECONCILIATIONS,
                new ReconciliationRowEncoder()));
        sinks.add(sink(config, client, sinkMetrics, "run-reviews", Topics.RUN_REVIEWS, new RunReviewRowEncoder()));
        sinks.add(sink(config, client, sinkMetrics, "pipeline-metrics", Topics.PIPELINE_METRICS,
                new PipelineMetricRowEncoder()));
        sinks.add(sink(config, client, sinkMetrics, "dead-letters", Topics.DEAD_LETTERS, new DeadLetterRowEncoder()));
        ConsumerLag lag = new ConsumerLag(config.kafkaBootstrap(), consumerGroups(config));
        String instance = config.instanceId();
        PipelineMetricsReporter reporter = PipelineMetricsReporter.start(config.kafkaBootstrap(), "detectors-" + instance,
                10_000, () -> {
                    long nowEpochMillis = System.currentTimeMillis();
                    List<PipelineMetric> readings = new ArrayList<>(lag.readings(instance, nowEpochMillis));
                    readings.addAll(counters(instance, nowEpochMillis, sinkMetrics, detectorMetrics, normalizeMetrics,
                            outcomeMetrics));
                    return readings;
                });
        try {
            if (!running.await(120, TimeUnit.SECONDS)) {
                LOG.warn("streams not all RUNNING after 120 s; continuing, states={}", states(streams));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Detectors(instance, streams, client, sinks, normalizeMetrics, detectorMetrics, sinkMetrics, outcomeMetrics,
                reporter, lag, threadFailures);
    }

    /** The consumer groups of this application: one per pipeline, one per sink. */
    private static List<String> consumerGroups(DetectorsConfig config) {
        List<String> groups = new ArrayList<>();
        for (String pipeline : List.of("runs", "metrics", "outcomes")) {
            groups.add(config.applicationId() + "-" + pipeline);
        }
        for (String sink : SINKS) {
            groups.add(sinkGroup(config, sink));
        }
        return groups;
    }

    /** Every counter of this instance as readings (published every 10 s, and served at {@code /metrics}). */
    private static List<PipelineMetric> counters(String instance, long nowEpochMillis, SinkMetrics sinkMetrics,
                                                 DetectorMetrics detectorMetrics, NormalizeMetrics normalizeMetrics,
                                                 OutcomeMetrics outcomeMetrics) {
        List<PipelineMetric> readings = new ArrayList<>(sinkMetrics.readings(instance, nowEpochMillis));
        readings.addAll(detectorMetrics.readings(instance, nowEpochMillis));
        readings.addAll(normalizeMetrics.readings(instance, nowEpochMillis));
        readings.addAll(outcomeMetrics.readings(instance, nowEpochMillis));
        return readings;
    }

    private static String sinkGroup(DetectorsConfig config, String name) {
        // The steps sink keeps its historical group id, so an upgraded stack does not re-read the topic.
        return config.applicationId() + (name.equals("steps") ? "-sink-steps" : "-sink-" + name);
    }

    private static <T> ClickHouseSink<T> sink(DetectorsConfig config, Client client, SinkMetrics metrics, String name,
                                              Topic<String, T> topic, RowEncoder<T> encoder) {
        return sink(config, client, metrics, name, topic, List::of, encoder);
    }

    /** A sink of a topic whose records each hold several {@code rows}. */
    private static <V, T> ClickHouseSink<T> sink(DetectorsConfig config, Client client, SinkMetrics metrics, String name,
                                                 Topic<String, V> topic, Function<V, List<T>> rows, RowEncoder<T> encoder) {
        String group = sinkGroup(config, name);
        return new ClickHouseSink<>(config.kafkaBootstrap(), group, topic, rows, new ClickHouseBatchWriter<>(client, encoder),
                config.clickHouse().batchRows(), batchAge(config.clickHouse(), topic), config.instanceId() + "-" + name,
                Clock.systemUTC(), metrics).start();
    }

    /** How long a sink's rows may wait for more: findings less than the rest. */
    static Duration batchAge(ClickHouseConfig clickHouse, Topic<?, ?> topic) {
        return topic.name().equals(Topics.FINDINGS.name()) ? clickHouse.findingsBatchAge() : clickHouse.batchAge();
    }

    static Properties streamsProperties(DetectorsConfig config, String pipeline) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId() + "-" + pipeline);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().resolve(pipeline).toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        // Measured with bench DetectorsThroughput on 2 cores: each exactly-once commit is a
        // transaction, and the record cache coalesces a run's state updates between commits;
        // 500 ms keeps span-to-finding p99 near 1.4 s. Larger lz4 producer batches halved the
        // broker's share of the CPU. Bigger caches and batches (64 MiB, 256 KiB) bought no more
        // throughput and doubled the heap with a million open runs (1.2 GiB live), measured while
        // the run deadlines were cached too (see RunTopology).
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 500);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 16L * 1024 * 1024);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 64 * 1024);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        // A record that cannot even be deserialized as bytes is logged and skipped; decoding
        // errors of the payload itself are dead-lettered by the topologies.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        // Static membership: Kafka Streams appends the thread index to make it unique per thread.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                config.instanceId() + "-" + pipeline);
        return props;
    }

    public NormalizeMetrics normalizeMetrics() {
        return normalizeMetrics;
    }

    public DetectorMetrics detectorMetrics() {
        return detectorMetrics;
    }

    public SinkMetrics sinkMetrics() {
        return sinkMetrics;
    }

    public OutcomeMetrics outcomeMetrics() {
        return outcomeMetrics;
    }

    /** The state of the runs pipeline (normalization and run assembly: the first to receive spans). */
    public KafkaStreams.State state() {
        return streams.get("runs").state();
    }

    /** The state of every pipeline by name. */
    public Map<String, KafkaStreams.State> states() {
        return states(streams);
    }

    /**
     * Whether the pipelines run and the sinks write, now: what {@code GET /health} serves (see
     * {@link HealthReport} for what counts as failing).
     */
    public HealthReport health() {
        long now = System.currentTimeMillis();
        return HealthReport.assess(states(), threadFailures.within(now), sinkMetrics.recentRestarts(now),
                sinkMetrics.failingMillis(now), HealthReport.Limits.defaults());
    }

    /**
     * The consumer lag last read (every 10 s) and every counter, now: what {@code GET /metrics}
     * serves and {@code pipeline_metrics} receives.
     */
    public List<PipelineMetric> readings() {
        List<PipelineMetric> readings = new ArrayList<>(consumerLag.latest());
        readings.addAll(counters(instanceId, System.currentTimeMillis(), sinkMetrics, detectorMetrics, normalizeMetrics,
                outcomeMetrics));
        return readings;
    }

    private static Map<String, KafkaStreams.State> states(Map<String, KafkaStreams> streams) {
        Map<String, KafkaStreams.State> states = new LinkedHashMap<>();
        streams.forEach((name, app) -> states.put(name, app.state()));
        return states;
    }

    /** Stops the streams (committing their progress), then drains and closes the sinks. */
    @Override
    public void close() {
        streams.values().forEach(app -> app.close(Duration.ofSeconds(30)));
        sinks.forEach(ClickHouseSink::close);
        healthReporter.close();
        consumerLag.close();
        clickHouse.close();
        LOG.info("detectors stopped");
    }
}
