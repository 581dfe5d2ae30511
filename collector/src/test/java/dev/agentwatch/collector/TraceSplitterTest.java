package dev.agentwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.agentwatch.collector.TraceSplitter.Split;
import dev.agentwatch.collector.TraceSplitter.TraceBatch;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TraceSplitterTest {
    private final TraceSplitter splitter = new TraceSplitter();

    @Test
    void splitsOneRequestIntoOneRequestPerTraceKeepingResourceAndScope() {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resourceSpans("svc-a", span(1, 1), span(2, 2), span(1, 3)))
                .addResourceSpans(resourceSpans("svc-b", span(2, 4)))
                .build();

        Split split = splitter.split(request);

        assertThat(split.rejectedSpans()).isZero();
        Map<String, TraceBatch> byTrace = split.traces().stream()
                .collect(Collectors.toMap(TraceBatch::traceIdHex, t -> t));
        assertThat(byTrace).containsOnlyKeys(traceHex(1), traceHex(2));
        TraceBatch first = byTrace.get(traceHex(1));
        assertThat(first.spanCount()).isEqualTo(2);
        assertThat(first.request().getResourceSpansList()).hasSize(1);
        assertThat(first.request().getResourceSpans(0).getScopeSpans(0).getScope().getName()).isEqualTo("scope");
        TraceBatch second = byTrace.get(traceHex(2));
        assertThat(second.spanCount()).isEqualTo(2);
        assertThat(second.request().getResourceSpansList()).extracting(rs -> rs.getResource().getAttributes(0).getValue().getStringValue())
                .containsExactly("svc-a", "svc-b");
        assertThat(split.acceptedSpans()).isEqualTo(4);
    }

    @Test
    void rejectsSpansWithAllZeroOrShortIdsAndKeepsTheRest() {
        Span zeroTrace = span(1, 1).toBuilder().setTraceId(ByteString.copyFrom(new byte[16])).build();
        Span shortSpanId = span(1, 2).toBuilder().setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3})).build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resourceSpans("svc", zeroTrace, shortSpanId, span(3, 3)))
                .build();

        Split split = splitter.split(request);

        assertThat(split.rejectedSpans()).isEqualTo(2);
        assertThat(split.rejectionReason()).contains("invalid");
        assertThat(split.traces()).extracting(TraceBatch::traceIdHex).containsExactly(traceHex(3));
    }

    static ResourceSpans resourceSpans(String service, Span... spans) {
        return ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service))))
                .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("scope"))
                        .addAllSpans(java.util.List.of(spans)))
                .build();
    }

    static Span span(int trace, int spanNumber) {
        return Span.newBuilder()
                .setTraceId(ByteString.copyFrom(java.util.HexFormat.of().parseHex(traceHex(trace))))
                .setSpanId(ByteString.copyFrom(java.util.HexFormat.of().parseHex(String.format("%016x", spanNumber))))
                .setName("span-" + spanNumber)
                .setStartTimeUnixNano(1_000L)
                .setEndTimeUnixNano(2_000L)
                .build();
    }

    /** {@link #span(int, int)} carrying a {@code payload} attribute of {@code payloadChars} characters. */
    static Span span(int trace, int spanNumber, int payloadChars) {
        return span(trace, spanNumber).toBuilder().addAttributes(KeyValue.newBuilder().setKey("payload")
                .setValue(AnyValue.newBuilder().setStringValue("p".repeat(payloadChars)))).build();
    }

    static String traceHex(int trace) {
        return String.format("%032x", trace);
    }
}
