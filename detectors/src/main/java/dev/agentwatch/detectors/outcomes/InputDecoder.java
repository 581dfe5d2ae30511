package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.detectors.RecordTimes;
import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.Topic;
import dev.agentwatch.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes one input topic's records, stamping each with its event time; a record that cannot be
 * decoded (or breaks the record's rules) becomes a {@link DeadLetter} with the reason and is
 * counted, and the pipeline goes on.
 */
final class InputDecoder<T> implements Processor<String, byte[], String, Object> {
    static final String STAGE = "reconcile";

    private final Topic<String, T> topic;
    private final ToLongFunction<T> eventTimeMillis;
    private final OutcomeMetrics metrics;
    private ProcessorContext<String, Object> context;

    InputDecoder(Topic<String, T> topic, ToLongFunction<T> eventTimeMillis, OutcomeMetrics metrics) {
        this.topic = topic;
        this.eventTimeMillis = eventTimeMillis;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            deadLetter(record, "empty_value", "record has no value");
            return;
        }
        T value;
        try {
            value = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
        } catch (SerializationException e) {
            String detail = e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + e.getCause().getMessage();
            deadLetter(record, "undecodable_" + topic.name().replace("agentwatch_", ""), detail);
            return;
        }
        long eventTime = eventTimeMillis.applyAsLong(value);
        context.forward(new Record<String, Object>(record.key(), value, eventTime > 0
                ? RecordTimes.bounded(eventTime, record.timestamp(), context.currentSystemTimeMs()) : record.timestamp()));
    }

    private void deadLetter(Record<String, byte[]> record, String reason, String detail) {
        metrics.count("dead_letters", reason);
        RecordMetadata source = context.recordMetadata().orElse(null);
        Header tenant = record.headers().lastHeader(Topics.TENANT_HEADER);
        DeadLetter letter = new DeadLetter(source == null ? topic.name() : source.topic(),
                source == null ? -1 : source.partition(), source == null ? -1 : source.offset(), STAGE, reason,
                detail == null ? "" : detail,
                tenant == null || tenant.value() == null ? "" : new String(tenant.value(), StandardCharsets.UTF_8),
                record.key() == null ? "" : record.key(), record.value(), record.timestamp());
        context.forward(new Record<String, Object>(record.key() == null ? "" : record.key(), letter, record.timestamp()));
    }
}
