package dev.agentwatch.collector;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits an encoded {@code ExportTraceServiceRequest} by trace by copying byte ranges: the same
 * records {@link TraceSplitter} builds (one {@code ResourceSpans} per resource, scope and trace,
 * resource and scope as sent), without materializing and re-encoding the spans, which is most of
 * the collector's CPU on multi-trace batches. Reads only the fields it needs (ids and the nesting);
 * the caller has already parsed the body once, so it is known to be a valid message. Pure and
 * thread-safe.
 */
final class WireTraceSplitter {
    private static final HexFormat HEX = HexFormat.of();
    private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;

    /** One trace's share of the request, encoded. */
    record EncodedTrace(String traceIdHex, byte[] request, int spanCount) {
    }

    /** The per-trace requests, plus spans refused for bad ids (same reasons as {@link TraceSplitter}). */
    record EncodedSplit(List<EncodedTrace> traces, int rejectedSpans, String rejectionReason) {
        int acceptedSpans() {
            return traces.stream().mapToInt(EncodedTrace::spanCount).sum();
        }
    }

    private record Range(int offset, int length) {
        static final Range NONE = new Range(0, 0);
    }

    /** The spans of one trace under one (resource, scope) pair. */
    private record Group(Range resource, Range resourceSchema, Range scope, Range scopeSchema, List<Range> spans) {
    }

    private WireTraceSplitter() {
    }

    static EncodedSplit split(byte[] body) throws IOException {
        Map<String, List<Group>> byTrace = new LinkedHashMap<>();
        int[] rejected = {0};
        String[] reason = {""};
        CodedInputStream in = CodedInputStream.newInstance(body);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (tag == 10) { // field 1, length-delimited
                Range resourceSpans = lengthDelimited(in);
                resourceSpans(body, resourceSpans, byTrace, rejected, reason);
            } else {
                in.skipField(tag);
            }
        }
        if (byTrace.size() == 1 && rejected[0] == 0) {
            Map.Entry<String, List<Group>> only = byTrace.entrySet().iterator().next();
            return new EncodedSplit(List.of(new EncodedTrace(only.getKey(), body, spanCount(only.getValue()))), 0, "");
        }
        List<EncodedTrace> traces = new ArrayList<>(byTrace.size());
        for (Map.Entry<String, List<Group>> trace : byTrace.entrySet()) {
            traces.add(new EncodedTrace(trace.getKey(), encode(body, trace.getValue()), spanCount(trace.getValue())));
        }
        return new EncodedSplit(traces, rejected[0], reason[0]);
    }

    private static void resourceSpans(byte[] body, Range range, Map<String, List<Group>> byTrace, int[] rejected,
                                      String[] reason) throws IOException {
        Range resource = Range.NONE;
        Range schema = Range.NONE;
        List<Range> scopeSpans = new ArrayList<>();
        CodedInputStream in = CodedInputStream.newInstance(body, range.offset(), range.length());
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 10 -> resource = absolute(range, lengthDelimited(in));
                case 18 -> scopeSpans.add(absolute(range, lengthDelimited(in)));
                case 26 -> schema = absolute(range, lengthDelimited(in));
                default -> in.skipField(tag);
            }
        }
        for (Range scopeRange : scopeSpans) {
            Range scope = Range.NONE;
            Range scopeSchema = Range.NONE;
            List<Range> spans = new ArrayList<>();
            CodedInputStream s = CodedInputStream.newInstance(body, scopeRange.offset(), scopeRange.length());
            for (int tag = s.readTag(); tag != 0; tag = s.readTag()) {
                switch (tag) {
                    case 10 -> scope = absolute(scopeRange, lengthDelimited(s));
                    case 18 -> spans.add(absolute(scopeRange, lengthDelimited(s)));
                    case 26 -> scopeSchema = absolute(scopeRange, lengthDelimited(s));
                    default -> s.skipField(tag);
                }
            }
            Map<String, List<Range>> spansByTrace = new LinkedHashMap<>();
            for (Range span : spans) {
                Ids ids = ids(body, span);
                String problem = ids.problem();
                if (problem != null) {
                    rejected[0]++;
                    reason[0] = problem;
                    continue;
                }
                spansByTrace.computeIfAbsent(HEX.formatHex(body, ids.traceId().offset(), ids.traceId().offset() + 16),
                        k -> new ArrayList<>()).add(span);
            }
            for (Map.Entry<String, List<Range>> e : spansByTrace.entrySet()) {
                byTrace.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add(new Group(resource, schema, scope, scopeSchema, e.getValue()));
            }
        }
    }

    private record Ids(byte[] body, Range traceId, Range spanId, Range parentSpanId) {
        String problem() {
            if (!nonZero(traceId, 16)) {
                return "invalid trace id: must be 16 bytes and not all zero";
            }
            if (!nonZero(spanId, 8)) {
                return "invalid span id: must be 8 bytes and not all zero";
            }
            if (parentSpanId.length() != 0 && parentSpanId.length() != 8) {
                return "invalid parent span id: must be empty or 8 bytes";
            }
            return null;
        }

        private boolean nonZero(Range id, int length) {
            if (id.length() != length) {
                return false;
            }
            for (int i = id.offset(); i < id.offset() + length; i++) {
                if (body[i] != 0) {
                    return true;
                }
            }
            return false;
        }
    }

    private static Ids ids(byte[] body, Range span) throws IOException {
        Range traceId = Range.NONE;
        Range spanId = Range.NONE;
        Range parent = Range.NONE;
        CodedInputStream in = CodedInputStream.newInstance(body, span.offset(), span.length());
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 10 -> traceId = absolute(span, lengthDelimited(in));
                case 18 -> spanId = absolute(span, lengthDelimited(in));
                case 34 -> parent = absolute(span, lengthDelimited(in));
                default -> in.skipField(tag);
            }
        }
        return new Ids(body, traceId, spanId, parent);
    }

    /** Reads a length-delimited field's value position relative to the stream's start, and skips it. */
    private static Range lengthDelimited(CodedInputStream in) throws IOException {
        int length = in.readRawVarint32();
        int offset = in.getTotalBytesRead();
        in.skipRawBytes(length);
        return new Range(offset, length);
    }

    private static Range absolute(Range parent, Range relative) {
        return new Range(parent.offset() + relative.offset(), relative.length());
    }

    private static int spanCount(List<Group> groups) {
        return groups.stream().mapToInt(g -> g.spans().size()).sum();
    }

    /** ExportTraceServiceRequest{ResourceSpans{resource, ScopeSpans{scope, spans, schema}, schema}...}. */
    private static byte[] encode(byte[] body, List<Group> groups) throws IOException {
        int[] scopeSizes = new int[groups.size()];
        int[] resourceSizes = new int[groups.size()];
        int total = 0;
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            int scopeSpans = field(g.scope()) + optionalField(g.scopeSchema());
            for (Range span : g.spans()) {
                scopeSpans += field(span);
            }
            scopeSizes[i] = scopeSpans;
            resourceSizes[i] = field(g.resource()) + 1 + CodedOutputStream.computeUInt32SizeNoTag(scopeSpans) + scopeSpans
                    + optionalField(g.resourceSchema());
            total += 1 + CodedOutputStream.computeUInt32SizeNoTag(resourceSizes[i]) + resourceSizes[i];
        }
        byte[] out = new byte[total];
        CodedOutputStream w = CodedOutputStream.newInstance(out);
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            w.writeTag(1, LENGTH_DELIMITED);
            w.writeUInt32NoTag(resourceSizes[i]);
            write(w, 1, body, g.resource());
            w.writeTag(2, LENGTH_DELIMITED);
            w.writeUInt32NoTag(scopeSizes[i]);
            write(w, 1, body, g.scope());
            for (Range span : g.spans()) {
                write(w, 2, body, span);
            }
            if (g.scopeSchema().length() > 0) {
                write(w, 3, body, g.scopeSchema());
            }
            if (g.resourceSchema().length() > 0) {
                write(w, 3, body, g.resourceSchema());
            }
        }
        w.checkNoSpaceLeft();
        return out;
    }

    private static int field(Range value) {
        return 1 + CodedOutputStream.computeUInt32SizeNoTag(value.length()) + value.length();
    }

    private static int optionalField(Range value) {
        return value.length() == 0 ? 0 : field(value);
    }

    private static void write(CodedOutputStream w, int field, byte[] body, Range value) throws IOException {
        w.writeTag(field, LENGTH_DELIMITED);
        w.writeUInt32NoTag(value.length());
        w.writeRawBytes(body, value.offset(), value.length());
    }
}
