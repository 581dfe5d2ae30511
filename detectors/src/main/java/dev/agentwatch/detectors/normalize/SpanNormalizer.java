package dev.agentwatch.detectors.normalize;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.agentwatch.detectors.RecordTimes;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepBatch;
import dev.agentwatch.model.otlp.OtlpSpanMapper;
import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.Topics;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Turns one {@code otlp_spans} record (one trace's spans) into {@link Step}s keyed by run id.
 * A record that cannot be decoded or mapped goes to the dead-letter sink with the reason; it
 * never stops the pipeline. The step's record timestamp is the span's end (event time), capped a
 * minute past the record's arrival ({@link RecordTimes}); a run's steps of one record also go on
 * together as {@link StepBatch}es, each stamped with the latest of its steps.
 */
public final class SpanNormalizer implements Processor<String, byte[], String, Object> {
    /**
     * The most bytes of step encodings in one batch. A step can encode larger than its span (ids
     * in hex, the run's names on every step), so a record the collector kept under 1 MB could
     * make a batch over the 1 MiB a Kafka record may have: refused, it would stop the pipeline.
     */
    public static final int MAX_BATCH_BYTES = 256 * 1024;

    private final OtlpSpanMapper mapper;
    private final NormalizeMetrics metrics;
    private final ToIntFunction<Step> encodedSize;
    private final String batchChild;
    private final String stepChild;
    private final String deadLetterChild;
    private ProcessorContext<String, Object> context;

    /**
     * A normalizer that forwards each run's steps of a record as {@link StepBatch}es of at most
     * {@link #MAX_BATCH_BYTES} ({@code encodedSize} tells a step's) to {@code batchChild}, each step
     * on its own to {@code stepChild}, and each dead letter to {@code deadLetterChild}, for
     * topologies that process steps in place.
     */
    public SpanNormalizer(OtlpSpanMapper mapper, NormalizeMetrics metrics, ToIntFunction<Step> encodedSize,
                          String batchChild, String stepChild, String deadLetterChild) {
        this.mapper = mapper;
        this.metrics = metrics;
        this.encodedSize = encodedSize;
        this.batchChild = batchChild;
        this.stepChild = stepChild;
        this.deadLetterChild = deadLetterChild;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String tenant = tenantOf(record);
        if (record.value() == null) {
            deadLetter(record, tenant, "empty_value", "record has no value");
            return;
        }
        ExportTraceServiceRequest request;
        try {
            request = ExportTraceServiceRequest.parseFrom(record.value());
        } catch (InvalidProtocolBufferException e) {
            deadLetter(record, tenant, "undecodable_protobuf", e.getMessage());
            return;
        }
        List<Step> steps;
        try {
            // Spans with bad ids are dead-lettered one by one; the rest of the trace goes on.
            steps = mapper.map(tenant, request, invalid -> deadLetter(record, tenant, invalid.reason().label(),
                    invalid.getMessage()));
        } catch (RuntimeException e) {
            deadLetter(record, tenant, "unmappable_spans", e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        long now = context.currentSystemTimeMs();
        for (Step step : steps) {
            context.forward(new Record<String, Object>(step.runId(), step, RecordTimes.ofStep(step, record.timestamp(), now)),
                    stepChild);
        }
        for (List<Step> run : byRun(steps)) {
            List<Step> batch = new ArrayList<>(run.size());
            long bytes = 0;
            for (Step step : run) {
                int size = encodedSize.applyAsInt(step);
                if (!batch.isEmpty() && bytes + size > MAX_BATCH_BYTES) {
                    forwardBatch(batch, record.timestamp(), now);
                    batch = new ArrayList<>();
                    bytes = 0;
                }
                batch.add(step);
                bytes += size;
            }
            forwardBatch(batch, record.timestamp(), now);
        }
        metrics.recordSteps(steps.size());
    }

    /** One batch, stamped with its latest step's record time. */
    private void forwardBatch(List<Step> batch, long arrivalMillis, long now) {
        long latest = Long.MIN_VALUE;
        for (Step step : batch) {
            latest = Math.max(latest, RecordTimes.ofStep(step, arrivalMillis, now));
        }
        context.forward(new Record<String, Object>(batch.getFirst().runId(), new StepBatch(batch), latest), batchChild);
    }

    /** The steps by run, in the order the runs first appear: a record holds one trace, but nothing enforces it. */
    private static Collection<List<Step>> byRun(List<Step> steps) {
        Map<String, List<Step>> runs = new LinkedHashMap<>();
        for (Step step : steps) {
            runs.computeIfAbsent(step.runId(), run -> new ArrayList<>(steps.size())).add(step);
        }
        return runs.values();
    }

    private static String tenantOf(Record<String, byte[]> record) {
        Header header = record.headers().lastHeader(Topics.TENANT_HEADER);
        if (header == null || header.value() == null || header.value().length == 0) {
            return Topics.DEFAULT_TENANT;
        }
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private void deadLetter(Record<String, byte[]> record, String tenant, String reason, String detail) {
        metrics.recordDeadLetter(reason);
        RecordMetadata source = context.recordMetadata().orElse(null);
        DeadLetter letter = new DeadLetter(
                source == null ? Topics.OTLP_SPANS.name() : source.topic(),
                source == null ? -1 : source.partition(),
                source == null ? -1 : source.offset(),
                "normalize", reason, detail == null ? "" : detail, tenant,
                record.key() == null ? "" : record.key(), record.value(), record.timestamp());
        context.forward(new Record<String, Object>(record.key(), letter, record.timestamp()), deadLetterChild);
    }
}
