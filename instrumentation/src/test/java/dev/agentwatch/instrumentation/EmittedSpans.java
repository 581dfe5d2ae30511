package dev.agentwatch.instrumentation;

import dev.agentwatch.model.PriceTable;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.otlp.OtlpSpanMapper;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The real OTel SDK exporting into memory, and the path a span takes to agentwatch: the SDK's own
 * OTLP protobuf marshaler (what the OTLP exporter sends), then agentwatch's span mapper.
 */
final class EmittedSpans implements AutoCloseable {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder()
                    .setResource(Resource.getDefault().merge(Resource.builder().put("service.name", "claims-service").build()))
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .build();

    OpenTelemetry openTelemetry() {
        return sdk;
    }

    List<SpanData> spans() {
        return exporter.getFinishedSpanItems();
    }

    ExportTraceServiceRequest otlpRequest() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            TraceRequestMarshaler.create(spans()).writeBinaryTo(out);
            return ExportTraceServiceRequest.parseFrom(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every finished span as agentwatch's collector and detectors would see it. */
    List<Step> steps() {
        return new OtlpSpanMapper(PriceTable.defaults()).map("acme", otlpRequest());
    }

    Step step(String name) {
        return steps().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no step named " + name + " in " + steps().stream().map(Step::name).toList()));
    }

    @Override
    public void close() {
        sdk.close();
    }
}
