package dev.agentwatch.detectors.metrics;

import dev.agentwatch.detectors.DetectorMetrics;
import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.Topic;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** A record's value decoded, or the dead letter saying why it could not be. Never serialized. */
record Decoded<T>(T value, DeadLetter deadLetter) {

    boolean failed() {
        return deadLetter != null;
    }

    /** Decodes values of {@code topic}; failures become dead letters of {@code stage}, counted. */
    static <T> FixedKeyProcessor<String, byte[], Decoded<T>> decoder(Topic<String, T> topic, String stage,
                                                                        DetectorMetrics metrics) {
        return new FixedKeyProcessor<>() {
            private FixedKeyProcessorContext<String, Decoded<T>> context;

            @Override
            public void init(FixedKeyProcessorContext<String, Decoded<T>> context) {
                this.context = context;
            }

            @Override
            public void process(FixedKeyRecord<String, byte[]> record) {
                String reason;
                String detail;
                try {
                    T value = record.value() == null ? null
                            : topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
                    if (value != null) {
                        context.forward(record.withValue(new Decoded<>(value, null)));
                        return;
                    }
                    reason = "empty_value";
                    detail = "record has no value";
                } catch (SerializationException e) {
                    reason = "undecodable_" + topic.name();
                    detail = e.getMessage() == null ? "" : e.getMessage();
                }
                metrics.increment(DetectorMetrics.RECORDS_DEAD_LETTERED, reason);
                RecordMetadata source = context.recordMetadata().orElse(null);
                DeadLetter letter = new DeadLetter(topic.name(), source == null ? -1 : source.partition(),
                        source == null ? -1 : source.offset(), stage, reason, detail, "",
                        record.key() == null ? "" : record.key(), record.value(), context.currentSystemTimeMs());
                context.forward(record.withValue(new Decoded<>(null, letter)));
            }
        };
    }
}
