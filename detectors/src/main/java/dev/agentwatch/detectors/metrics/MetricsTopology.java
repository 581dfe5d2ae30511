package dev.agentwatch.detectors.metrics;

import dev.agentwatch.detectors.DetectionConfig;
import dev.agentwatch.detectors.DetectorMetrics;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.StepSamples;
import dev.agentwatch.topics.Topic;
import dev.agentwatch.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Metrics and agent-level detectors.
 * <ul>
 *   <li>{@code agentwatch_step_samples} (keyed by metric key already, no repartition; a record
 *       holds a run's samples of one key and minute) → 1-minute
 *       {@link StepStats} windows → {@code agentwatch_step_metrics}; and the latency, token and
 *       cost outlier detectors with their baselines per metric key → {@code agentwatch_findings}.</li>
 *   <li>{@code agentwatch_runs} (first revisions) → repartitioned once, keyed by (tenant, agent,
 *       version) and partitioned by (tenant, agent) → 1-minute {@link AgentStats} windows →
 *       {@code agentwatch_agent_metrics}; and the error-rate spike detector per (tenant, agent) →
 *       {@code agentwatch_findings}.</li>
 * </ul>
 * Windows are tumbling minutes of event time (record timestamps: a step's end, a run's close)
 * with a grace period ({@link DetectionConfig#metricsGrace()}); updates are emitted as the minute
 * fills (coalesced by the record cache at each commit), each with a larger count, so the latest
 * row of a minute is the whole minute. Records later than the grace period are dropped by Kafka
 * Streams and counted in its {@code dropped-records} task metric. Undecodable records go to
 * {@code agentwatch_dead_letters}.
 */
public final class MetricsTopology {
    public static final String BASELINES_STORE = "outlier-baselines";
    public static final String ERROR_RATE_STORE = "error-rate-state";
    static final String STEP_WINDOWS_STORE = "step-stats-1m";
    static final String AGENT_WINDOWS_STORE = "agent-stats-1m";
    /** The windows of the step and agent metrics; the runs pipeline batches step samples by it. */
    public static final Duration WINDOW = Duration.ofMinutes(1);

    private MetricsTopology() {
    }

    public static Topology build(DetectionConfig config, DetectorMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BASELINES_STORE),
                Serdes.String(), DetectorStateSerdes.baselines()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ERROR_RATE_STORE),
                Serdes.String(), DetectorStateSerdes.errorRate()).withCachingEnabled());
        TimeWindows minutes = TimeWindows.ofSizeAndGrace(WINDOW, config.metricsGrace());

        KStream<String, StepSamples> samples = decoded(builder, Topics.STEP_SAMPLES, "step-samples", metrics);
        samples.groupByKey(Grouped.with(Serdes.String(), Topics.STEP_SAMPLES.valueSerde()))
                .windowedBy(minutes)
                .aggregate(StepStats::new, (key, batch, stats) -> stats.addAll(batch),
                        Materialized.<String, StepStats, WindowStore<Bytes, byte[]>>as(STEP_WINDOWS_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(StepStats.serde()))
                .toStream(Named.as("step-metrics-updates"))
                .map((window, stats) -> KeyValue.pair(window.key() + "@" + window.window().start(),
                        stats.toMetrics(window.window().start())), Named.as("step-metrics"))
                .to(Topics.STEP_METRICS.name(), Produced.with(Serdes.String(), Topics.STEP_METRICS.valueSerde()));
        samples.process(() -> new OutlierProcessor(config.outliers(), metrics), Named.as("outlier-detectors"),
                        BASELINES_STORE)
                .to(Topics.FINDINGS.name(), Produced.with(Serdes.String(), Topics.FINDINGS.valueSerde()));

        KStream<String, Run> firstCloses = decoded(builder, Topics.RUNS, "runs", metrics)
                .filter((runId, run) -> run.revision() == 0, Named.as("first-revisions"));
        // One repartition for both: keyed by (tenant, agent, version) for the agent windows, and
        // placed by (tenant, agent) alone, so that an agent's runs of every version meet in one
        // task for the error-rate detector, in the partition its own repartition used to give them.
        KStream<String, Run> byAgentVersion = firstCloses
                .selectKey((runId, run) -> join(run.tenant(), run.agentName(), run.agentVersion()),
                        Named.as("by-agent-version"))
                .repartition(Repartitioned.with(Serdes.String(), Topics.RUNS.valueSerde())
                        .withName("runs-by-agent-version").withStreamPartitioner(MetricsTopology::byAgent));
        byAgentVersion.groupByKey(Grouped.with(Serdes.String(), Topics.RUNS.valueSerde()))
                .windowedBy(minutes)
                .aggregate(AgentStats::new, (key, run, stats) -> stats.add(run),
                        Materialized.<String, AgentStats, WindowStore<Bytes, byte[]>>as(AGENT_WINDOWS_STORE)
                                .withKeySerde(Serdes.String()).withValueSerde(AgentStats.serde()))
                .toStream(Named.as("agent-metrics-updates"))
                .map((window, stats) -> KeyValue.pair(window.key() + "@" + window.window().start(),
                        stats.toMetrics(window.window().start())), Named.as("agent-metrics"))
                .to(Topics.AGENT_METRICS.name(), Produced.with(Serdes.String(), Topics.AGENT_METRICS.valueSerde()));
        byAgentVersion
                .process(() -> new ErrorRateProcessor(config.errorRateSpike(), metrics), Named.as("error-rate-detector"),
                        ERROR_RATE_STORE)
                .to(Topics.FINDINGS.name(), Produced.with(Serdes.String(), Topics.FINDINGS.valueSerde()));
        return builder.build();
    }

    private static <T> KStream<String, T> decoded(StreamsBuilder builder, Topic<String, T> topic, String name,
                                                  DetectorMetrics metrics) {
        Map<String, KStream<String, Decoded<T>>> branches = builder
                .stream(topic.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(name + "-source"))
                .processValues(() -> Decoded.decoder(topic, "metrics", metrics), Named.as(name + "-decoder"))
                .split(Named.as(name + "-"))
                .branch((key, decoded) -> decoded.failed(), Branched.as("undecodable"))
                .defaultBranch(Branched.as("decoded"));
        branches.get(name + "-undecodable")
                .mapValues(Decoded::deadLetter, Named.as(name + "-dead-letters"))
                .to(Topics.DEAD_LETTERS.name(), Produced.with(Serdes.String(), Topics.DEAD_LETTERS.valueSerde()));
        return branches.get(name + "-decoded").mapValues(Decoded::value, Named.as(name + "-values"));
    }

    /** The error-rate detector's key: (tenant, agent). */
    static String agentKey(Run run) {
        return join(run.tenant(), run.agentName());
    }

    /** The partition of a run's (tenant, agent), as the producer's default partitioner places that key. */
    static Optional<Set<Integer>> byAgent(String topic, String key, Run run, int partitions) {
        byte[] agent = agentKey(run).getBytes(StandardCharsets.UTF_8);
        return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(agent)) % partitions));
    }

    private static String join(String... parts) {
        return String.join("\u001f", parts);
    }
}
