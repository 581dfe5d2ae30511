package dev.agentwatch.collector;

import dev.agentwatch.collector.KafkaPublisher.Payload;
import dev.agentwatch.collector.TraceSplitter.Split;
import dev.agentwatch.collector.TraceSplitter.TraceBatch;
import dev.agentwatch.collector.WireTraceSplitter.EncodedSplit;
import dev.agentwatch.collector.WireTraceSplitter.EncodedTrace;
import dev.agentwatch.model.otlp.SpanContentFilter;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What OTLP/HTTP and OTLP/gRPC share once a request is authenticated and decoded: filter content,
 * split by trace, publish, wait for Kafka's acknowledgement, answer with partial success when
 * some spans were refused. Thread-safe.
 */
final class TraceExporter {
    private final SpanContentFilter contentFilter;
    private final TraceSplitter splitter = new TraceSplitter();
    private final KafkaPublisher publisher;
    private final CollectorMetrics metrics;

    TraceExporter(SpanContentFilter contentFilter, KafkaPublisher publisher, CollectorMetrics metrics) {
        this.contentFilter = contentFilter;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /**
     * Stores the request's valid spans for {@code tenant} and returns the OTLP response.
     *
     * @param protobufBody the protobuf bytes {@code request} was parsed from, or null; when no span
     *                     needs filtering the records are cut from these bytes (see
     *                     {@link WireTraceSplitter}) instead of re-encoded
     * @throws Rejection 503 when Kafka did not acknowledge in time (nothing may be assumed stored)
     */
    ExportTraceServiceResponse export(String tenant, ExportTraceServiceRequest request, byte[] protobufBody)
            throws Rejection {
        ExportTraceServiceRequest filtered = contentFilter.apply(request);
        List<Payload> payloads;
        int accepted;
        int rejected;
        String reason;
        if (protobufBody != null && filtered == request) {
            // Nothing to change in the spans: split the bytes as received instead of re-encoding them.
            EncodedSplit split = encodedSplit(protobufBody);
            payloads = new ArrayList<>(split.traces().size());
            for (EncodedTrace trace : split.traces()) {
                payloads.add(new Payload(trace.traceIdHex(), trace.request()));
            }
            accepted = split.acceptedSpans();
            rejected = split.rejectedSpans();
            reason = split.rejectionReason();
        } else {
            Split split = splitter.split(filtered);
            payloads = new ArrayList<>(split.traces().size());
            for (TraceBatch trace : split.traces()) {
                payloads.add(new Payload(trace.traceIdHex(), trace.request().toByteArray()));
            }
            accepted = split.acceptedSpans();
            rejected = split.rejectedSpans();
            reason = split.rejectionReason();
        }
        if (rejected > 0) {
            metrics.spansRejected("invalid_id", rejected);
        }
        if (!payloads.isEmpty()) {
            try {
                publisher.await(publisher.publishSpans(tenant, payloads), tenant, "trace");
            } catch (Rejection e) {
                metrics.spansRejected(e.reason(), accepted);
                throw e;
            }
        }
        metrics.accepted(accepted, payloads.size());
        ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
        if (rejected > 0) {
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(rejected)
                    .setErrorMessage(rejected + " span(s) refused; last reason: " + reason));
        }
        return response.build();
    }

    private static EncodedSplit encodedSplit(byte[] protobufBody) {
        try {
            return WireTraceSplitter.split(protobufBody);
        } catch (IOException e) {
            // The body parsed a moment ago, so this is not the client's doing.
            throw new IllegalStateException("cannot split a request that parsed: " + e.getMessage(), e);
        }
    }
}
