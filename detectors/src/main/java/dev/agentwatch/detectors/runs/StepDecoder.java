package dev.agentwatch.detectors.runs;

import dev.agentwatch.detectors.DetectorMetrics;
import dev.agentwatch.detectors.RecordTimes;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepBatch;
import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.Topics;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Decodes {@code agentwatch_steps} records for the assembler; undecodable ones become dead letters, counted. */
final class StepDecoder implements Processor<String, byte[], String, Object> {
    private final DetectorMetrics metrics;
    private ProcessorContext<String, Object> context;

    StepDecoder(DetectorMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        StepBatch batch;
        try {
            batch = record.value() == null ? null
                    : Topics.STEPS.valueSerde().deserializer().deserialize(Topics.STEPS.name(), record.value());
        } catch (SerializationException e) {
            deadLetter(record, "undecodable_step", e.getMessage());
            return;
        }
        if (batch == null) {
            deadLetter(record, "empty_value", "record has no value");
            return;
        }
        long now = context.currentSystemTimeMs();
        for (Step step : batch.steps()) {
            // The batch is stamped with its latest step: each step gets its own time back, and a
            // batch of one (every record of format version 1) its record's time exactly.
            long timestamp = Math.min(record.timestamp(), RecordTimes.ofStep(step, record.timestamp(), now));
            context.forward(new Record<String, Object>(record.key(), step, timestamp, record.headers()),
                    RunTopology.ASSEMBLER);
        }
    }

    private void deadLetter(Record<String, byte[]> record, String reason, String detail) {
        metrics.increment(DetectorMetrics.RECORDS_DEAD_LETTERED, reason);
        RecordMetadata source = context.recordMetadata().orElse(null);
        DeadLetter letter = new DeadLetter(source == null ? Topics.STEPS.name() : source.topic(),
                source == null ? -1 : source.partition(), source == null ? -1 : source.offset(), "run_assembly", reason,
                detail == null ? "" : detail, "", record.key() == null ? "" : record.key(), record.value(),
                context.currentSystemTimeMs());
        context.forward(new Record<String, Object>(record.key(), letter, record.timestamp()), RunTopology.DEAD_LETTER_SINK);
    }
}
