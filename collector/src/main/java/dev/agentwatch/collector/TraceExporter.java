package dev.agentwatch.collector;

import dev.agentwatch.collector.KafkaPublisher.Payload;
import dev.agentwatch.collector.TraceSplitter.Split;
import dev.agentwatch.collector.TraceSplitter.TraceBatch;
import dev.agentwatch.model.otlp.SpanContentFilter;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
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
     * @param protobufBody the protobuf bytes {@code request} was parsed from, or null; reused as the
     *                     Kafka record when the request holds one trace and needs no filtering
     * @throws Rejection 503 when Kafka did not acknowledge in time (nothing may be assumed stored)
     */
    ExportTraceServiceResponse export(String tenant, ExportTraceServiceRequest request, byte[] protobufBody)
            throws Rejection {
        ExportTraceServiceRequest filtered = contentFilter.apply(request);
        Split split = splitter.split(filtered);
        if (split.rejectedSpans() > 0) {
            metrics.spansRejected("invalid_id", split.rejectedSpans());
        }
        List<Payload> payloads = new ArrayList<>(split.traces().size());
        for (TraceBatch trace : split.traces()) {
            boolean asReceived = protobufBody != null && trace.request() == request;
            payloads.add(new Payload(trace.traceIdHex(), asReceived ? protobufBody : trace.request().toByteArray()));
        }
        if (!payloads.isEmpty()) {
            try {
                publisher.await(publisher.publishSpans(tenant, payloads), tenant, "trace");
            } catch (Rejection e) {
                metrics.spansRejected(e.reason(), split.acceptedSpans());
                throw e;
            }
        }
        metrics.accepted(split.acceptedSpans(), payloads.size());
        ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
        if (split.rejectedSpans() > 0) {
            response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(split.rejectedSpans())
                    .setErrorMessage(split.rejectedSpans() + " span(s) refused; last reason: " + split.rejectionReason()));
        }
        return response.build();
    }
}
