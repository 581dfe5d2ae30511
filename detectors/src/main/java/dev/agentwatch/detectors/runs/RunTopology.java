package dev.agentwatch.detectors.runs;

import dev.agentwatch.detectors.DetectionConfig;
import dev.agentwatch.detectors.DetectorMetrics;
import dev.agentwatch.detectors.detect.RunDetector;
import dev.agentwatch.detectors.normalize.NormalizeMetrics;
import dev.agentwatch.detectors.normalize.SpanNormalizer;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.StepBatch;
import dev.agentwatch.model.StepSamples;
import dev.agentwatch.model.otlp.OtlpSpanMapper;
import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.Topics;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Run assembly and the run-level detectors: steps → closed runs on
 * {@code agentwatch_runs}, findings on {@code agentwatch_findings} (key = fingerprint), the steps
 * of closed runs with their agent on {@code agentwatch_step_samples} (key = metric key, a record
 * per run, key and minute), and undecodable records on {@code agentwatch_dead_letters}. Two ways
 * in:
 * <ul>
 *   <li>{@link #build}: from {@code agentwatch_steps};</li>
 *   <li>{@link #buildFromSpans}: from {@code otlp_spans}, normalizing in place: each step goes
 *       straight to the assembler, and a run's steps of each {@code otlp_spans} record go to
 *       {@code agentwatch_steps} together, saving a topic hop, a decode per step and a transaction
 *       per commit. The runtime uses this one.</li>
 * </ul>
 *
 * <p>Spans and steps are keyed by run id (trace id), so a run's steps share a partition without a
 * repartition, whichever way they come in. The run
 * state lives in RocksDB stores backed by changelog topics: {@value #RUNS_STORE} (tenant/run id →
 * {@link RunState}) and {@value #DEADLINES_STORE}, an index ordered by the event time at which each
 * run must be looked at again (to close it by inactivity, or to forget it after the late-step
 * retention). See {@link RunAssembler} for when runs close and how time advances.
 */
public final class RunTopology {
    public static final String RUNS_STORE = "run-state";
    public static final String DEADLINES_STORE = "run-deadlines";
    static final String SOURCE = "steps-source";
    static final String DECODER = "step-decoder";
    static final String SPANS_SOURCE = "otlp-spans-source";
    static final String NORMALIZER = "span-normalizer";
    static final String STEPS_SINK = "steps-sink";
    static final String ASSEMBLER = "run-assembler";
    static final String RUNS_SINK = "runs-sink";
    static final String FINDINGS_SINK = "findings-sink";
    static final String SAMPLES_SINK = "step-samples-sink";
    static final String DEAD_LETTER_SINK = "dead-letter-sink";

    private RunTopology() {
    }

    /** Run assembly from {@code agentwatch_steps}. */
    public static Topology build(DetectionConfig config, DetectorMetrics metrics) {
        return build(config, config.runDetectors(), metrics);
    }

    /** Run assembly from {@code agentwatch_steps} with these run detectors instead of the configured ones. */
    static Topology build(DetectionConfig config, List<RunDetector> detectors, DetectorMetrics metrics) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                Topics.STEPS.name());
        topology.addProcessor(DECODER, () -> new StepDecoder(metrics), SOURCE);
        topology.addProcessor(ASSEMBLER, () -> new RunAssembler(config, detectors, metrics), DECODER);
        return withStoresAndSinks(topology, DECODER);
    }

    /** Normalization and run assembly in one: {@code otlp_spans} → steps, runs, findings, samples. */
    public static Topology buildFromSpans(DetectionConfig config, OtlpSpanMapper mapper, NormalizeMetrics normalizeMetrics,
                                          DetectorMetrics metrics) {
        Topology topology = new Topology();
        topology.addSource(SPANS_SOURCE, Topics.OTLP_SPANS.keySerde().deserializer(),
                Topics.OTLP_SPANS.valueSerde().deserializer(), Topics.OTLP_SPANS.name());
        // Sizes from the run state's remembered encodings, which the steps sink then writes.
        topology.addProcessor(NORMALIZER, () -> new SpanNormalizer(mapper, normalizeMetrics, RunStateSerde::encodedSize,
                STEPS_SINK, ASSEMBLER, DEAD_LETTER_SINK), SPANS_SOURCE);
        topology.addProcessor(ASSEMBLER, () -> new RunAssembler(config, config.runDetectors(), metrics), NORMALIZER);
        // The run state's own step encoding, which the assembler needs anyway: one encoding per step.
        topology.addSink(STEPS_SINK, Topics.STEPS.name(), Topics.STEPS.keySerde().serializer(),
                narrow((topic, steps) -> RunStateSerde.stepsTopicRecord(steps), StepBatch.class), NORMALIZER);
        return withStoresAndSinks(topology, NORMALIZER);
    }

    private static Topology withStoresAndSinks(Topology topology, String deadLetterParent) {
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RUNS_STORE),
                Serdes.String(), new RunStateSerde()).withCachingEnabled(), ASSEMBLER);
        // Not cached: each deadline entry is written once and deleted once (the saved clock at
        // most once a punctuation), so a cache coalesces nothing there, while its many small
        // entries took most of the record cache (150,000 of them in 16 MiB) and crowded out the
        // run states, which it does coalesce.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEADLINES_STORE),
                Serdes.Bytes(), Serdes.ByteArray()), ASSEMBLER);
        topology.addSink(RUNS_SINK, Topics.RUNS.name(), Topics.RUNS.keySerde().serializer(),
                narrow(Topics.RUNS.valueSerde().serializer(), Run.class), ASSEMBLER);
        topology.addSink(FINDINGS_SINK, Topics.FINDINGS.name(), Topics.FINDINGS.keySerde().serializer(),
                narrow(Topics.FINDINGS.valueSerde().serializer(), Finding.class), ASSEMBLER);
        topology.addSink(SAMPLES_SINK, Topics.STEP_SAMPLES.name(), Topics.STEP_SAMPLES.keySerde().serializer(),
                narrow(Topics.STEP_SAMPLES.valueSerde().serializer(), StepSamples.class), ASSEMBLER);
        topology.addSink(DEAD_LETTER_SINK, Topics.DEAD_LETTERS.name(), Topics.DEAD_LETTERS.keySerde().serializer(),
                narrow(Topics.DEAD_LETTERS.valueSerde().serializer(), DeadLetter.class), deadLetterParent);
        return topology;
    }

    /** The assembler forwards Objects to named children; each sink takes only its own type. */
    private static <T> Serializer<Object> narrow(Serializer<T> serializer, Class<T> type) {
        return (topic, value) -> serializer.serialize(topic, type.cast(value));
    }
}
