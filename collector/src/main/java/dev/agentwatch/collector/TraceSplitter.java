package dev.agentwatch.collector;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits an export request into one request per trace, keeping each span's resource and scope,
 * as the OpenTelemetry Collector's Kafka exporter does with {@code partition_traces_by_id}.
 * Spans with an invalid trace or span id are set aside with a reason. A request that holds one
 * trace and nothing invalid is passed through as it is. Pure and thread-safe.
 */
public final class TraceSplitter {
    private static final HexFormat HEX = HexFormat.of();

    /** One trace's share of a request. */
    public record TraceBatch(String traceIdHex, ExportTraceServiceRequest request, int spanCount) {
    }

    /** The split, plus spans rejected for bad ids. */
    public record Split(List<TraceBatch> traces, int rejectedSpans, String rejectionReason) {
        public Split {
            traces = List.copyOf(traces);
        }

        public int acceptedSpans() {
            return traces.stream().mapToInt(TraceBatch::spanCount).sum();
        }
    }

    public Split split(ExportTraceServiceRequest request) {
        TraceBatch whole = wholeRequestOfOneTrace(request);
        if (whole != null) {
            return new Split(List.of(whole), 0, "");
        }
        Map<String, ExportTraceServiceRequest.Builder> byTrace = new LinkedHashMap<>();
        Map<String, Integer> spanCounts = new LinkedHashMap<>();
        int rejected = 0;
        String reason = "";
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                // Per trace, the spans of this (resource, scope) pair.
                Map<String, List<Span>> spansByTrace = new LinkedHashMap<>();
                for (Span span : scopeSpans.getSpansList()) {
                    String problem = idProblem(span);
                    if (problem != null) {
                        rejected++;
                        reason = problem;
                        continue;
                    }
                    spansByTrace.computeIfAbsent(HEX.formatHex(span.getTraceId().toByteArray()), k -> new ArrayList<>())
                            .add(span);
                }
                spansByTrace.forEach((traceId, spans) -> {
                    byTrace.computeIfAbsent(traceId, k -> ExportTraceServiceRequest.newBuilder())
                            .addResourceSpans(ResourceSpans.newBuilder()
                                    .setResource(resourceSpans.getResource())
                                    .setSchemaUrl(resourceSpans.getSchemaUrl())
                                    .addScopeSpans(ScopeSpans.newBuilder()
                                            .setScope(scopeSpans.getScope())
                                            .setSchemaUrl(scopeSpans.getSchemaUrl())
                                            .addAllSpans(spans)));
                    spanCounts.merge(traceId, spans.size(), Integer::sum);
                });
            }
        }
        List<TraceBatch> traces = new ArrayList<>(byTrace.size());
        byTrace.forEach((traceId, builder) -> traces.add(new TraceBatch(traceId, builder.build(), spanCounts.get(traceId))));
        return new Split(traces, rejected, reason);
    }

    /**
     * The request itself as one batch when all its spans are valid and of one trace (what an
     * SDK's span processor sends for a single run): nothing to rebuild or re-encode.
     */
    private static TraceBatch wholeRequestOfOneTrace(ExportTraceServiceRequest request) {
        ByteString traceId = null;
        int spans = 0;
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    if (idProblem(span) != null || (traceId != null && !traceId.equals(span.getTraceId()))) {
                        return null;
                    }
                    traceId = span.getTraceId();
                    spans++;
                }
            }
        }
        return traceId == null ? null : new TraceBatch(HEX.formatHex(traceId.toByteArray()), request, spans);
    }

    private static String idProblem(Span span) {
        if (!isValidId(span.getTraceId(), 16)) {
            return "invalid trace id: must be 16 bytes and not all zero";
        }
        if (!isValidId(span.getSpanId(), 8)) {
            return "invalid span id: must be 8 bytes and not all zero";
        }
        if (!span.getParentSpanId().isEmpty() && span.getParentSpanId().size() != 8) {
            return "invalid parent span id: must be empty or 8 bytes";
        }
        return null;
    }

    private static boolean isValidId(ByteString id, int length) {
        if (id.size() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (id.byteAt(i) != 0) {
                return true;
            }
        }
        return false;
    }
}
