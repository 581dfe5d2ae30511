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
        Batch batch = new Batch();
        for (EncodedTrace trace : split.traces()) {
            batch.add(trace.traceIdHex(), trace.request());
        }
        return publish(tenant, batch, split.acceptedSpans(), split.rejectedSpans(), split.rejectionReason());
    }

    /** Stores a decoded request's valid spans for {@code tenant} and returns the OTLP response. */
    ExportTraceServiceResponse export(String tenant, ExportTraceServiceRequest request) throws Rejection {
        Split split = splitter.split(contentFilter.apply(request));
        Batch batch = new Batch();
        for (TraceBatch trace : split.traces()) {
            batch.add(trace.traceIdHex(), trace.request().toByteArray());
        }
        return publish(tenant, batch, split.acceptedSpans(), split.rejectedSpans(), split.rejectionReason());
    }

    /** The records of one request: a trace over Kafka's record limit becomes several (see {@link TraceChunker}). */
    private static final class Batch {
        final List<Payload> payloads = new ArrayList<>();
        int tooLargeSpans;

        void add(String traceIdHex, byte[] request) {
            TraceChunker.Chunks chunks = TraceChunker.chunk(request, TraceChunker.MAX_RECORD_BYTES);
            chunks.requests().forEach(piece -> payloads.add(new Payload(traceIdHex, piece)));
            tooLargeSpans += chunks.refusedSpans();
        }
    }

    private ExportTraceServiceResponse publish(String tenant, Batch batch, int validSpans, int invalidSpans,
                                               String invalidReason) throws Rejection {
        List<Payload> payloads = batch.payloads;
        int accepted = validSpans - batch.tooLargeSpans;
        int rejected = invalidSpans + batch.tooLargeSpans;
        if (invalidSpans > 0) {
            metrics.spansRejected("invalid_id", invalidSpans);
        }
        String reason = invalidReason;
        if (batch.tooLargeSpans > 0) {
            metrics.spansRejected("span_too_large", batch.tooLargeSpans);
            reason = "span over " + TraceChunker.MAX_RECORD_BYTES + " bytes encoded, more than a Kafka record takes "
                    + "(turn content capture off, or send less per span)";
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
