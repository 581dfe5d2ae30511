package dev.agentwatch.collector;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one trace's request that is larger than a Kafka record may be into several requests under
 * the limit, span by span, each with its resource and scope: a long run exported in one batch
 * (with content capture on, say) would otherwise be refused whole. The pieces keep the trace id
 * as their key, so they reach the same partition in order and the detectors assemble them like
 * spans from separate exports. A span that alone is over the limit cannot be stored and is
 * refused. Pure; the common case (under the limit) returns the bytes as they are.
 */
final class TraceChunker {
    /** Kafka takes records up to 1 MiB by default (key, headers and framing included). */
    static final int MAX_RECORD_BYTES = 1_000_000;
    private static final int MAX_LENGTH_PREFIX = 5;

    /** The requests to store, and the spans refused for being too large on their own. */
    record Chunks(List<byte[]> requests, int refusedSpans) {
        Chunks {
            requests = List.copyOf(requests);
        }
    }

    private TraceChunker() {
    }

    static Chunks chunk(byte[] request, int maxBytes) {
        if (request.length <= maxBytes) {
            return new Chunks(List.of(request), 0);
        }
        ExportTraceServiceRequest parsed;
        try {
            parsed = ExportTraceServiceRequest.parseFrom(request);
        } catch (InvalidProtocolBufferException e) {
            // The collector produced these bytes from a validated request.
            throw new IllegalStateException("cannot re-read a trace request the collector encoded", e);
        }
        List<byte[]> requests = new ArrayList<>();
        int refused = 0;
        ExportTraceServiceRequest.Builder piece = ExportTraceServiceRequest.newBuilder();
        int pieceBytes = 0;
        for (ResourceSpans resource : parsed.getResourceSpansList()) {
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                // At most what opening this resource and scope costs in a piece, before any span: their
                // fields, and tags and length prefixes at their longest (they grow as spans are added).
                int opening = 2 * (1 + MAX_LENGTH_PREFIX) + resource.toBuilder().clearScopeSpans().build().getSerializedSize()
                        + scope.toBuilder().clearSpans().build().getSerializedSize();
                ScopeSpans.Builder group = null;
                for (Span span : scope.getSpansList()) {
                    int spanBytes = framed(span.getSerializedSize());
                    if (opening + spanBytes > maxBytes) {
                        refused++;
                        continue;
                    }
                    int needed = spanBytes + (group == null ? opening : 0);
                    if (pieceBytes + needed > maxBytes) {
                        if (group != null) {
                            add(piece, resource, group);
                            group = null;
                        }
                        requests.add(piece.build().toByteArray());
                        piece = ExportTraceServiceRequest.newBuilder();
                        pieceBytes = 0;
                        needed = spanBytes + opening;
                    }
                    if (group == null) {
                        group = scope.toBuilder().clearSpans();
                    }
                    group.addSpans(span);
                    pieceBytes += needed;
                }
                if (group != null) {
                    add(piece, resource, group);
                }
            }
        }
        if (piece.getResourceSpansCount() > 0) {
            requests.add(piece.build().toByteArray());
        }
        return new Chunks(requests, refused);
    }

    private static void add(ExportTraceServiceRequest.Builder request, ResourceSpans resource, ScopeSpans.Builder spans) {
        request.addResourceSpans(resource.toBuilder().clearScopeSpans().addScopeSpans(spans));
    }

    /** A message of {@code bytes} as a length-delimited field: tag, length, body. */
    private static int framed(int bytes) {
        return 1 + CodedOutputStream.computeUInt32SizeNoTag(bytes) + bytes;
    }
}
