package dev.agentwatch.collector;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.agentwatch.collector.KafkaPublisher.Payload;
import dev.agentwatch.collector.TraceSplitter.Split;
import dev.agentwatch.collector.TraceSplitter.TraceBatch;
import dev.agentwatch.collector.WireTraceSplitter.EncodedSplit;
import dev.agentwatch.collector.WireTraceSplitter.EncodedTrace;
import dev.agentwatch.model.otlp.SpanContentFilter;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * What OTLP/HTTP and OTLP/gRPC share once a request is authenticated: decode it (protobuf on the
 * wire path, or the parsed JSON), filter content, split by trace, publish, wait for Kafka's
 * acknowledgement, answer with partial success when some spans were refused. Thread-safe.
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
     * Stores an OTLP protobuf body's valid spans for {@code tenant} and returns the OTLP response.
     * Plain OTLP takes {@link WireTraceSplitter}'s single pass over the bytes; anything else is
     * parsed in full, so a body is refused exactly when protobuf cannot parse it.
     *
     * @throws Rejection 400 for an undecodable body; 503 when Kafka did not acknowledge in time
     *                   (nothing may be assumed stored)
     */
    ExportTraceServiceResponse exportProtobuf(String tenant, byte[] body) throws Rejection {
        EncodedSplit split = WireTraceSplitter.split(body, contentFilter);
        if (split == null) {
            metrics.protobufParsedInFull();
            return export(tenant, parseProtobuf(body));
        }
        List<Payload> payloads = new ArrayList<>(split.traces().size());
        for (EncodedTrace trace : split.traces()) {
            payloads.add(new Payload(trace.traceIdHex(), trace.request()));
        }
        return publish(tenant, payloads, split.acceptedSpans(), split.rejectedSpans(), split.rejectionReason());
    }

    /** Stores a decoded request's valid spans for {@code tenant} and returns the OTLP response. */
    ExportTraceServiceResponse export(String tenant, ExportTraceServiceRequest request) throws Rejection {
        Split split = splitter.split(contentFilter.apply(request));
        List<Payload> payloads = new ArrayList<>(split.traces().size());
        for (TraceBatch trace : split.traces()) {
            payloads.add(new Payload(trace.traceIdHex(), trace.request().toByteArray()));
        }
        return publish(tenant, payloads, split.acceptedSpans(), split.rejectedSpans(), split.rejectionReason());
    }

    private ExportTraceServiceResponse publish(String tenant, List<Payload> payloads, int accepted, int rejected,
                                               String reason) throws Rejection {
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

    private static ExportTraceServiceRequest parseProtobuf(byte[] body) throws Rejection {
        try {
            return ExportTraceServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new Rejection(400, "undecodable_protobuf",
                    "body is not an OTLP ExportTraceServiceRequest protobuf: " + e.getMessage());
        }
    }
}
