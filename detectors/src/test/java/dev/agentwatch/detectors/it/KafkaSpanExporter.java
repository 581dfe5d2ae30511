package dev.agentwatch.detectors.it;

import dev.agentwatch.topics.Topics;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An OTel SDK span exporter that writes what our collector writes: one {@code otlp_spans} record
 * per trace of each export, key = trace id hex, value = the OTLP protobuf the SDK's own marshaler
 * produces, tenant in the {@code agentwatch.tenant} header.
 */
final class KafkaSpanExporter implements SpanExporter {
    private final KafkaProducer<String, byte[]> producer;
    private final String tenant;

    KafkaSpanExporter(KafkaProducer<String, byte[]> producer, String tenant) {
        this.producer = producer;
        this.tenant = tenant;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        Map<String, List<SpanData>> byTrace = spans.stream()
                .collect(Collectors.groupingBy(SpanData::getTraceId, LinkedHashMap::new, Collectors.toList()));
        byTrace.forEach((traceId, traceSpans) -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try {
                TraceRequestMarshaler.create(traceSpans).writeBinaryTo(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.OTLP_SPANS.name(), traceId, body.toByteArray());
            record.headers().add(Topics.TENANT_HEADER, tenant.getBytes(StandardCharsets.UTF_8));
            producer.send(record);
        });
        producer.flush();
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        producer.flush();
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
