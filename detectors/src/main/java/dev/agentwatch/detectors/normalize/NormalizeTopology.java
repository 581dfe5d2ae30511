package dev.agentwatch.detectors.normalize;

import dev.agentwatch.model.otlp.OtlpSpanMapper;
import dev.agentwatch.model.Step;
import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.Topics;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;

/**
 * {@code otlp_spans} → normalized {@link Step}s on {@code agentwatch_steps}, poison records to
 * {@code agentwatch_dead_letters}. The input is keyed by trace id and a run is one trace, so
 * steps stay co-partitioned with their run without a repartition.
 */
public final class NormalizeTopology {
    static final String SOURCE = "otlp-spans-source";
    static final String NORMALIZER = "span-normalizer";
    static final String STEPS_SINK = "steps-sink";
    static final String DEAD_LETTER_SINK = "dead-letter-sink";

    private NormalizeTopology() {
    }

    public static Topology build(OtlpSpanMapper mapper, NormalizeMetrics metrics) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Topics.OTLP_SPANS.keySerde().deserializer(),
                Topics.OTLP_SPANS.valueSerde().deserializer(), Topics.OTLP_SPANS.name());
        topology.addProcessor(NORMALIZER, () -> new SpanNormalizer(mapper, metrics), SOURCE);
        topology.addSink(STEPS_SINK, Topics.STEPS.name(), Topics.STEPS.keySerde().serializer(),
                narrow(Topics.STEPS.valueSerde().serializer(), Step.class), NORMALIZER);
        topology.addSink(DEAD_LETTER_SINK, Topics.DEAD_LETTERS.name(), Topics.DEAD_LETTERS.keySerde().serializer(),
                narrow(Topics.DEAD_LETTERS.valueSerde().serializer(), DeadLetter.class), NORMALIZER);
        return topology;
    }

    /** The normalizer forwards Objects to named children; each sink takes only its own type. */
    private static <T> Serializer<Object> narrow(Serializer<T> serializer, Class<T> type) {
        return (topic, value) -> serializer.serialize(topic, type.cast(value));
    }
}
