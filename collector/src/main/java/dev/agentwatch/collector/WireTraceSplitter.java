package dev.agentwatch.collector;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.agentwatch.model.otlp.SpanContentFilter;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The collector's fast path for protobuf bodies: validates an encoded
 * {@code ExportTraceServiceRequest} against the OTLP schema and splits it by trace by copying byte
 * ranges, in one pass and without materializing the message. Produces the same records as parsing,
 * {@link SpanContentFilter filtering} and {@link TraceSplitter splitting} (one {@code ResourceSpans}
 * per resource, scope and trace, resource and scope as sent). Only a span that carries content is
 * parsed, to compute its content summary; its bytes are then copied without the content fields,
 * the summary appended ({@link SpanContentFilter#removal}). Parsing, filtering and re-encoding
 * every span was most of the collector's CPU.
 *
 * <p>It declines (returns {@code null}) whenever the body is anything but plainly well-formed
 * OTLP: malformed bytes, fields it does not model (newer schema fields, string-table indexes),
 * repeated singular messages, groups, deep nesting. The caller then takes the full parser's path,
 * which decides exactly as protobuf does. So whatever this class accepts, the parser accepts too:
 * every varint, length, fixed-width field, nested message and UTF-8 string is checked. Pure and
 * thread-safe.
 */
final class WireTraceSplitter {
    private static final HexFormat HEX = HexFormat.of();
    private static final int LENGTH_DELIMITED = WireFormat.WIRETYPE_LENGTH_DELIMITED;
    private static final int VARINT = WireFormat.WIRETYPE_VARINT;
    private static final int FIXED64 = WireFormat.WIRETYPE_FIXED64;
    private static final int FIXED32 = WireFormat.WIRETYPE_FIXED32;
    /** Nesting of array/kvlist attribute values accepted here; deeper goes to the parser (limit 100). */
    private static final int MAX_VALUE_DEPTH = 24;

    /** One trace's share of the request, encoded. */
    record EncodedTrace(String traceIdHex, byte[] request, int spanCount) {
    }

    /** The per-trace requests, plus spans refused for bad ids (same reasons as {@link TraceSplitter}). */
    record EncodedSplit(List<EncodedTrace> traces, int rejectedSpans, String rejectionReason) {
        int acceptedSpans() {
            return traces.stream().mapToInt(EncodedTrace::spanCount).sum();
        }
    }

    /** Bytes to copy: a range of the body, or a re-encoded span. */
    private record Chunk(byte[] bytes, int offset, int length) {
        static final Chunk NONE = new Chunk(new byte[0], 0, 0);
    }

    /** The spans of one trace under one (resource, scope) pair. */
    private record Group(Chunk resource, Chunk resourceSchema, Chunk scope, Chunk scopeSchema, List<Chunk> spans) {
    }

    /** Not plain OTLP: let the parser decide. Stackless, it is control flow. */
    private static final class Decline extends Exception {
        private static final Decline INSTANCE = new Decline();

        private Decline() {
            super(null, null, false, false);
        }
    }

    private WireTraceSplitter() {
    }

    /**
     * The request split by trace, with content filtered by {@code filter}; or {@code null} when the
     * body needs the full parser (it may still be valid).
     */
    static EncodedSplit split(byte[] body, SpanContentFilter filter) {
        try {
            return new Scan(body, filter).run();
        } catch (Decline e) {
            return null;
        }
    }

    /** One pass over one body. */
    private static final class Scan {
        private final byte[] body;
        private final SpanContentFilter filter;
        private final Map<String, List<Group>> byTrace = new LinkedHashMap<>();
        private int rejected;
        private String reason = "";
        private boolean changed;
        private int pos;
        private int limit;
        // The enclosing limits while inside nested values: enter() pushes, leave() pops.
        private int[] outerLimits = new int[64];
        private int depth;
        // What the last keyValue() read, for the callers that look at keys and string values.
        private int keyOffset;
        private int keyLength;
        private int stringOffset;
        private int stringLength;

        Scan(byte[] body, SpanContentFilter filter) {
            this.body = body;
            this.filter = filter;
            this.limit = body.length;
        }

        EncodedSplit run() throws Decline {
            while (pos < limit) {
                int tag = tag();
                if (tag != 10) { // field 1 (resource_spans), length-delimited
                    throw Decline.INSTANCE;
                }
                int end = enter();
                resourceSpans(end);
                leave(end);
            }
            if (byTrace.size() == 1 && rejected == 0 && !changed) {
                Map.Entry<String, List<Group>> only = byTrace.entrySet().iterator().next();
                return new EncodedSplit(List.of(new EncodedTrace(only.getKey(), body, spanCount(only.getValue()))), 0, "");
            }
            List<EncodedTrace> traces = new ArrayList<>(byTrace.size());
            for (Map.Entry<String, List<Group>> trace : byTrace.entrySet()) {
                traces.add(new EncodedTrace(trace.getKey(), encode(trace.getValue()), spanCount(trace.getValue())));
            }
            return new EncodedSplit(traces, rejected, reason);
        }

        private void resourceSpans(int end) throws Decline {
            Chunk resource = Chunk.NONE;
            Chunk schema = Chunk.NONE;
            List<int[]> scopeSpans = new ArrayList<>(2);
            while (pos < end) {
                int tag = tag();
                switch (tag) {
                    case 10 -> {
                        if (resource != Chunk.NONE) {
                            throw Decline.INSTANCE; // the parser would merge the two
                        }
                        int inner = enter();
                        int start = pos;
                        resource(inner);
                        leave(inner);
                        resource = range(start, inner);
                    }
                    case 18 -> {
                        int inner = enter();
                        scopeSpans.add(new int[] {pos, inner});
                        pos = inner;
                        leave(inner);
                    }
                    case 26 -> schema = string();
                    default -> throw Decline.INSTANCE;
                }
            }
            // Scopes after the resource was seen, wherever it was in the bytes.
            int resume = pos;
            for (int[] scope : scopeSpans) {
                pos = scope[0];
                narrow(scope[1]);
                scopeSpans(resource, schema, scope[1]);
                leave(scope[1]);
            }
            pos = resume;
        }

        private void resource(int end) throws Decline {
            while (pos < end) {
                switch (tag()) {
                    case 10 -> keyValueMessage(0);
                    case 16 -> varint();
                    default -> throw Decline.INSTANCE;
                }
            }
        }

        private void scopeSpans(Chunk resource, Chunk resourceSchema, int end) throws Decline {
            Chunk scope = Chunk.NONE;
            Chunk schema = Chunk.NONE;
            Map<String, List<Chunk>> spansByTrace = new LinkedHashMap<>();
            while (pos < end) {
                switch (tag()) {
                    case 10 -> {
                        if (scope != Chunk.NONE) {
                            throw Decline.INSTANCE;
                        }
                        int inner = enter();
                        int start = pos;
                        scope(inner);
                        leave(inner);
                        scope = range(start, inner);
                    }
                    case 18 -> {
                        int inner = enter();
                        span(inner, spansByTrace);
                        leave(inner);
                    }
                    case 26 -> schema = string();
                    default -> throw Decline.INSTANCE;
                }
            }
            for (Map.Entry<String, List<Chunk>> trace : spansByTrace.entrySet()) {
                byTrace.computeIfAbsent(trace.getKey(), k -> new ArrayList<>())
                        .add(new Group(resource, resourceSchema, scope, schema, trace.getValue()));
            }
        }

        private void scope(int end) throws Decline {
            while (pos < end) {
                switch (tag()) {
                    case 10, 18 -> string();
                    case 26 -> keyValueMessage(0);
                    case 32 -> varint();
                    default -> throw Decline.INSTANCE;
                }
            }
        }

        private void span(int end, Map<String, List<Chunk>> spansByTrace) throws Decline {
            int start = pos;
            Chunk traceId = Chunk.NONE;
            Chunk spanId = Chunk.NONE;
            Chunk parent = Chunk.NONE;
            boolean status = false;
            FieldRanges removable = new FieldRanges();
            while (pos < end) {
                int fieldStart = pos;
                int tag = tag();
                switch (tag) {
                    case 10 -> traceId = bytes();
                    case 18 -> spanId = bytes();
                    case 34 -> parent = bytes();
                    case 26, 42 -> string();
                    case 48, 80, 112 -> varint();
                    case 96 -> {
                        varint();
                        removable.add(fieldStart, pos, FieldRanges.DROPPED_EVENTS_COUNT);
                    }
                    case 57, 65 -> fixed(8);
                    case 133 -> fixed(4); // field 16, fixed32 (flags)
                    case 74 -> {
                        keyValueMessage(0);
                        if (isContentKey()) {
                            removable.add(fieldStart, pos, FieldRanges.CONTENT);
                        }
                    }
                    case 90 -> {
                        int inner = enter();
                        if (event(inner)) {
                            removable.add(fieldStart, inner, FieldRanges.CONTENT);
                        }
                        leave(inner);
                    }
                    case 106 -> {
                        int inner = enter();
                        link(inner);
                        leave(inner);
                    }
                    case 122 -> {
                        if (status) {
                            throw Decline.INSTANCE;
                        }
                        status = true;
                        int inner = enter();
                        status(inner);
                        leave(inner);
                    }
                    default -> throw Decline.INSTANCE;
                }
            }
            String problem = idProblem(traceId, spanId, parent);
            if (problem != null) {
                rejected++;
                reason = problem;
                return;
            }
            Chunk span = range(start, end);
            if (removable.hasContent()) {
                span = filtered(span, removable);
            }
            spansByTrace.computeIfAbsent(HEX.formatHex(body, traceId.offset(), traceId.offset() + 16),
                    k -> new ArrayList<>()).add(span);
        }

        /**
         * The span without its content. Removing (the default): the span is parsed only to compute
         * the summary; its bytes are copied without the content fields, and the additions appended.
         * Redacting rewrites every content string: the span is filtered and encoded again.
         */
        private Chunk filtered(Chunk span, FieldRanges removable) throws Decline {
            Span parsed;
            try {
                parsed = Span.parseFrom(ByteBuffer.wrap(body, span.offset(), span.length()));
            } catch (InvalidProtocolBufferException e) {
                throw Decline.INSTANCE;
            }
            if (filter.keepsContent()) {
                Span redacted = filter.apply(parsed);
                if (redacted == parsed) {
                    return span;
                }
                changed = true;
                byte[] bytes = redacted.toByteArray();
                return new Chunk(bytes, 0, bytes.length);
            }
            Optional<SpanContentFilter.Removal> removal = filter.removal(parsed);
            if (removal.isEmpty()) {
                return span;
            }
            changed = true;
            // The dropped events count is rewritten only when events were removed.
            boolean eventsRemoved = removal.get().eventsRemoved() > 0;
            List<KeyValue> appended = removal.get().appended();
            int size = span.length();
            for (int i = 0; i < removable.size(); i++) {
                if (removable.drops(i, eventsRemoved)) {
                    size -= removable.end(i) - removable.start(i);
                }
            }
            for (KeyValue attribute : appended) {
                size += CodedOutputStream.computeMessageSize(9, attribute);
            }
            if (eventsRemoved) {
                size += CodedOutputStream.computeUInt32Size(12, removal.get().droppedEventsCount());
            }
            byte[] result = new byte[size];
            CodedOutputStream out = CodedOutputStream.newInstance(result);
            try {
                int copied = span.offset();
                for (int i = 0; i < removable.size(); i++) {
                    if (removable.drops(i, eventsRemoved)) {
                        out.writeRawBytes(body, copied, removable.start(i) - copied);
                        copied = removable.end(i);
                    }
                }
                out.writeRawBytes(body, copied, span.offset() + span.length() - copied);
                for (KeyValue attribute : appended) {
                    out.writeMessage(9, attribute);
                }
                if (eventsRemoved) {
                    out.writeUInt32(12, removal.get().droppedEventsCount());
                }
                out.checkNoSpaceLeft();
                return new Chunk(result, 0, result.length);
            } catch (IOException e) {
                throw new IllegalStateException("writing to memory failed", e);
            }
        }

        /** Whether the event is one SpanContentFilter#isContentEvent removes. */
        private boolean event(int end) throws Decline {
            boolean sawEventName = false;
            boolean nameIsContent = false;
            boolean attributeIsContent = false;
            while (pos < end) {
                switch (tag()) {
                    case 9 -> fixed(8);
                    case 18 -> {
                        Chunk name = string(); // a repeated name: the last one counts, as in the parser
                        nameIsContent = SpanContentFilter.isContentEventName(text(name.offset(), name.length()));
                    }
                    case 26 -> {
                        keyValueMessage(0);
                        // Like SpanContentFilter.isContentEvent: the first event.name attribute decides.
                        if (!sawEventName && keyIs("event.name")) {
                            sawEventName = true;
                            attributeIsContent = stringLength > 0
                                    && SpanContentFilter.isContentEventName(text(stringOffset, stringLength));
                        }
                    }
                    case 32 -> varint();
                    default -> throw Decline.INSTANCE;
                }
            }
            return nameIsContent || attributeIsContent;
        }

        private void link(int end) throws Decline {
            while (pos < end) {
                switch (tag()) {
                    case 10, 18 -> bytes();
                    case 26 -> string();
                    case 34 -> keyValueMessage(0);
                    case 40 -> varint();
                    case 53 -> fixed(4);
                    default -> throw Decline.INSTANCE;
                }
            }
        }

        private void status(int end) throws Decline {
            while (pos < end) {
                switch (tag()) {
                    case 18 -> string();
                    case 24 -> varint();
                    default -> throw Decline.INSTANCE;
                }
            }
        }

        /** A length-delimited KeyValue at pos; leaves its key and string value (if any) in the fields. */
        private void keyValueMessage(int depth) throws Decline {
            int end = enter();
            int key = -1;
            int keyLen = 0;
            int str = -1;
            int strLen = 0;
            boolean value = false;
            while (pos < end) {
                switch (tag()) {
                    case 10 -> {
                        Chunk k = string();
                        key = k.offset();
                        keyLen = k.length();
                    }
                    case 18 -> {
                        if (value) {
                            throw Decline.INSTANCE;
                        }
                        value = true;
                        int inner = enter();
                        anyValue(inner, depth + 1);
                        str = stringOffset;
                        strLen = stringLength;
                        leave(inner);
                    }
                    default -> throw Decline.INSTANCE;
                }
            }
            leave(end);
            keyOffset = key < 0 ? pos : key;
            keyLength = keyLen;
            stringOffset = value ? str : -1;
            stringLength = value ? strLen : 0;
        }

        /** An AnyValue with at most one of its oneof fields; leaves its string value, if it is one. */
        private void anyValue(int end, int depth) throws Decline {
            if (depth > MAX_VALUE_DEPTH) {
                throw Decline.INSTANCE;
            }
            int str = -1;
            int strLen = 0;
            boolean set = false;
            while (pos < end) {
                if (set) {
                    throw Decline.INSTANCE; // two oneof fields: the parser's last-wins/merge rules decide
                }
                set = true;
                switch (tag()) {
                    case 10 -> {
                        Chunk s = string();
                        str = s.offset();
                        strLen = s.length();
                    }
                    case 16, 24 -> varint();
                    case 33 -> fixed(8);
                    case 42 -> {
                        int inner = enter();
                        while (pos < inner) {
                            if (tag() != 10) {
                                throw Decline.INSTANCE;
                            }
                            int element = enter();
                            anyValue(element, depth + 1);
                            leave(element);
                        }
                        leave(inner);
                    }
                    case 50 -> {
                        int inner = enter();
                        while (pos < inner) {
                            if (tag() != 10) {
                                throw Decline.INSTANCE;
                            }
                            keyValueMessage(depth + 1);
                        }
                        leave(inner);
                    }
                    case 58 -> bytes();
                    default -> throw Decline.INSTANCE;
                }
            }
            stringOffset = str;
            stringLength = strLen;
        }

        private boolean isContentKey() {
            if (keyLength < 11) {
                return false; // SpanContentFilter's shortest content key, and the summary prefix, are longer
            }
            byte first = body[keyOffset];
            if (first != 'g' && first != 'i' && first != 'o' && first != 't' && first != 'l' && first != 'r'
                    && first != 'e' && first != 'a') {
                return false;
            }
            String key = text(keyOffset, keyLength);
            return SpanContentFilter.isContentKey(key) || SpanContentFilter.isSummaryKey(key);
        }

        private boolean keyIs(String ascii) {
            if (keyLength != ascii.length()) {
                return false;
            }
            for (int i = 0; i < keyLength; i++) {
                if (body[keyOffset + i] != ascii.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private String text(int offset, int length) {
            return new String(body, offset, length, StandardCharsets.UTF_8);
        }

        // ---- wire primitives: each checks bounds against the current limit ----

        private int tag() throws Decline {
            long tag = varint();
            if (tag >>> 3 == 0 || tag > Integer.MAX_VALUE) {
                throw Decline.INSTANCE;
            }
            return (int) tag;
        }

        private long varint() throws Decline {
            long value = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                if (pos >= limit) {
                    throw Decline.INSTANCE;
                }
                byte b = body[pos++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw Decline.INSTANCE;
        }

        private void fixed(int width) throws Decline {
            if (limit - pos < width) {
                throw Decline.INSTANCE;
            }
            pos += width;
        }

        /**
         * Reads a length prefix and narrows the limit to the value; returns the value's end. A
         * 10-byte varint reads as a negative length, which would send the scan backwards forever.
         */
        private int enter() throws Decline {
            long length = varint();
            if (length < 0 || length > limit - pos) {
                throw Decline.INSTANCE;
            }
            return narrow(pos + (int) length);
        }

        private int narrow(int end) {
            if (depth == outerLimits.length) {
                outerLimits = java.util.Arrays.copyOf(outerLimits, depth * 2);
            }
            outerLimits[depth++] = limit;
            limit = end;
            return end;
        }

        /** Back out of a value entered with {@link #enter()}: everything in it must have been read. */
        private void leave(int end) throws Decline {
            if (pos != end) {
                throw Decline.INSTANCE;
            }
            limit = outerLimits[--depth];
        }

        private Chunk bytes() throws Decline {
            int end = enter();
            Chunk value = range(pos, end);
            pos = end;
            leave(end);
            return value;
        }

        private Chunk string() throws Decline {
            Chunk value = bytes();
            validateUtf8(value.offset(), value.length());
            return value;
        }

        private void validateUtf8(int offset, int length) throws Decline {
            for (int i = offset; i < offset + length; i++) {
                if (body[i] < 0) {
                    try {
                        StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body, offset, length));
                        return;
                    } catch (CharacterCodingException e) {
                        throw Decline.INSTANCE;
                    }
                }
            }
        }

        private Chunk range(int start, int end) {
            return new Chunk(body, start, end - start);
        }
    }

    /**
     * The fields of one span that removing content may drop, in byte order: content attributes
     * and events, and the dropped events count, which is rewritten only when events are removed.
     */
    private static final class FieldRanges {
        static final int CONTENT = 0;
        static final int DROPPED_EVENTS_COUNT = 1;
        private int[] values = new int[12];
        private int size;

        void add(int start, int end, int kind) {
            if (3 * size + 3 > values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[3 * size] = start;
            values[3 * size + 1] = end;
            values[3 * size + 2] = kind;
            size++;
        }

        boolean hasContent() {
            for (int i = 0; i < size; i++) {
                if (values[3 * i + 2] == CONTENT) {
                    return true;
                }
            }
            return false;
        }

        int size() {
            return size;
        }

        int start(int i) {
            return values[3 * i];
        }

        int end(int i) {
            return values[3 * i + 1];
        }

        boolean drops(int i, boolean eventsRemoved) {
            return values[3 * i + 2] == CONTENT || eventsRemoved;
        }
    }

    private static String idProblem(Chunk traceId, Chunk spanId, Chunk parent) {
        if (!nonZero(traceId, 16)) {
            return "invalid trace id: must be 16 bytes and not all zero";
        }
        if (!nonZero(spanId, 8)) {
            return "invalid span id: must be 8 bytes and not all zero";
        }
        if (parent.length() != 0 && parent.length() != 8) {
            return "invalid parent span id: must be empty or 8 bytes";
        }
        return null;
    }

    private static boolean nonZero(Chunk id, int length) {
        if (id.length() != length) {
            return false;
        }
        for (int i = id.offset(); i < id.offset() + length; i++) {
            if (id.bytes()[i] != 0) {
                return true;
            }
        }
        return false;
    }

    private static int spanCount(List<Group> groups) {
        return groups.stream().mapToInt(g -> g.spans().size()).sum();
    }

    /** ExportTraceServiceRequest{ResourceSpans{resource, ScopeSpans{scope, spans, schema}, schema}...}. */
    private static byte[] encode(List<Group> groups) {
        int[] scopeSizes = new int[groups.size()];
        int[] resourceSizes = new int[groups.size()];
        int total = 0;
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            int scopeSpans = field(g.scope()) + optionalField(g.scopeSchema());
            for (Chunk span : g.spans()) {
                scopeSpans += field(span);
            }
            scopeSizes[i] = scopeSpans;
            resourceSizes[i] = field(g.resource()) + 1 + CodedOutputStream.computeUInt32SizeNoTag(scopeSpans) + scopeSpans
                    + optionalField(g.resourceSchema());
            total += 1 + CodedOutputStream.computeUInt32SizeNoTag(resourceSizes[i]) + resourceSizes[i];
        }
        byte[] out = new byte[total];
        CodedOutputStream w = CodedOutputStream.newInstance(out);
        try {
            for (int i = 0; i < groups.size(); i++) {
                Group g = groups.get(i);
                w.writeTag(1, LENGTH_DELIMITED);
                w.writeUInt32NoTag(resourceSizes[i]);
                write(w, 1, g.resource());
                w.writeTag(2, LENGTH_DELIMITED);
                w.writeUInt32NoTag(scopeSizes[i]);
                write(w, 1, g.scope());
                for (Chunk span : g.spans()) {
                    write(w, 2, span);
                }
                if (g.scopeSchema().length() > 0) {
                    write(w, 3, g.scopeSchema());
                }
                if (g.resourceSchema().length() > 0) {
                    write(w, 3, g.resourceSchema());
                }
            }
            w.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("encoding into an exactly sized array failed", e);
        }
        return out;
    }

    private static int field(Chunk value) {
        return 1 + CodedOutputStream.computeUInt32SizeNoTag(value.length()) + value.length();
    }

    private static int optionalField(Chunk value) {
        return value.length() == 0 ? 0 : field(value);
    }

    private static void write(CodedOutputStream w, int field, Chunk value) throws IOException {
        w.writeTag(field, LENGTH_DELIMITED);
        w.writeUInt32NoTag(value.length());
        w.writeRawBytes(value.bytes(), value.offset(), value.length());
    }
}
