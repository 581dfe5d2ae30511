package dev.agentwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceChunkerTest {
    private static final int LIMIT = 64 * 1024;

    /** A span of trace 1 carrying an attribute of {@code bytes} characters. */
    private static Span span(int number, int bytes) {
        return TraceSplitterTest.span(1, number, bytes);
    }

    private static List<Span> spansOf(List<byte[]> requests) throws InvalidProtocolBufferException {
        List<Span> spans = new ArrayList<>();
        for (byte[] bytes : requests) {
            for (ResourceSpans resource : ExportTraceServiceRequest.parseFrom(bytes).getResourceSpansList()) {
                assertThat(resource.getResource().getAttributes(0).getValue().getStringValue()).startsWith("svc-");
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    assertThat(scope.getScope().getName()).isEqualTo("scope");
                    spans.addAll(scope.getSpansList());
                }
            }
        }
        return spans;
    }

    @Test
    void leavesARequestUnderTheLimitAsItIs() {
        byte[] request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(TraceSplitterTest.resourceSpans("svc-a", span(1, 100), span(2, 100))).build().toByteArray();

        TraceChunker.Chunks chunks = TraceChunker.chunk(request, LIMIT);

        assertThat(chunks.requests()).singleElement().isSameAs(request);
        assertThat(chunks.refusedSpans()).isZero();
    }

    @Test
    void cutsALargeTraceIntoPiecesUnderTheLimitKeepingEverySpanInOrderWithItsResourceAndScope() throws Exception {
        List<Span> first = new ArrayList<>();
        List<Span> second = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            first.add(span(i + 1, 700 + i % 50));
            second.add(span(1000 + i, 900));
        }
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(TraceSplitterTest.resourceSpans("svc-a", first.toArray(Span[]::new)))
                .addResourceSpans(TraceSplitterTest.resourceSpans("svc-b", second.toArray(Span[]::new))).build();

        TraceChunker.Chunks chunks = TraceChunker.chunk(request.toByteArray(), LIMIT);

        assertThat(request.getSerializedSize()).isGreaterThan(8 * LIMIT);
        assertThat(chunks.requests()).hasSizeGreaterThan(8).allSatisfy(piece -> assertThat(piece.length).isLessThanOrEqualTo(LIMIT));
        List<Span> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(spansOf(chunks.requests())).isEqualTo(all);
        assertThat(chunks.refusedSpans()).isZero();
        assertThat(chunks.requests().subList(0, chunks.requests().size() - 1)).as("full but for the last span or two")
                .allSatisfy(piece -> assertThat(piece.length).isGreaterThan(LIMIT - 2_000));
        assertThat(ExportTraceServiceRequest.parseFrom(chunks.requests().getLast()).getResourceSpans(0).getResource()
                .getAttributes(0).getValue().getStringValue()).isEqualTo("svc-b");
    }

    @Test
    void refusesOnlyASpanThatAloneIsOverTheLimit() throws Exception {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(TraceSplitterTest.resourceSpans("svc-a", span(1, 100), span(2, LIMIT), span(3, 100)))
                .build();

        TraceChunker.Chunks chunks = TraceChunker.chunk(request.toByteArray(), LIMIT);

        assertThat(chunks.refusedSpans()).isEqualTo(1);
        assertThat(spansOf(chunks.requests())).extracting(Span::getName).containsExactly("span-1", "span-3");
        assertThat(chunks.requests()).allSatisfy(piece -> assertThat(piece.length).isLessThanOrEqualTo(LIMIT));
    }

    @Test
    void fillsPiecesToTheLimitExactlyWithoutGoingOver() {
        // Spans sized so that a piece ends within a few bytes of the limit, over and over.
        for (int size = 1000; size < 1100; size += 7) {
            List<Span> spans = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                spans.add(span(i + 1, size));
            }
            byte[] request = ExportTraceServiceRequest.newBuilder()
                    .addResourceSpans(TraceSplitterTest.resourceSpans("svc-a", spans.toArray(Span[]::new))).build()
                    .toByteArray();

            assertThat(TraceChunker.chunk(request, LIMIT).requests())
                    .allSatisfy(piece -> assertThat(piece.length).isLessThanOrEqualTo(LIMIT));
        }
    }
}
