package dev.agentwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.agentwatch.collector.TraceSplitter.Split;
import dev.agentwatch.collector.TraceSplitter.TraceBatch;
import dev.agentwatch.collector.WireTraceSplitter.EncodedSplit;
import dev.agentwatch.collector.WireTraceSplitter.EncodedTrace;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.RepetitionInfo;

/** The byte-level split gives exactly what the decoded split gives. */
class WireTraceSplitterTest {

    @RepeatedTest(200)
    void cutsTheSameRecordsAsTheDecodedSplitter(RepetitionInfo repetition) throws Exception {
        ExportTraceServiceRequest request = randomRequest(new SplittableRandom(repetition.getCurrentRepetition()));

        Split decoded = new TraceSplitter().split(request);
        EncodedSplit encoded = WireTraceSplitter.split(request.toByteArray());

        assertThat(encoded.rejectedSpans()).isEqualTo(decoded.rejectedSpans());
        assertThat(encoded.rejectionReason()).isEqualTo(decoded.rejectionReason());
        assertThat(encoded.acceptedSpans()).isEqualTo(decoded.acceptedSpans());
        assertThat(encoded.traces()).extracting(EncodedTrace::traceIdHex)
                .containsExactlyElementsOf(decoded.traces().stream().map(TraceBatch::traceIdHex).toList());
        for (int i = 0; i < decoded.traces().size(); i++) {
            assertThat(ExportTraceServiceRequest.parseFrom(encoded.traces().get(i).request()))
                    .isEqualTo(decoded.traces().get(i).request());
            assertThat(encoded.traces().get(i).spanCount()).isEqualTo(decoded.traces().get(i).spanCount());
        }
    }

    @Test
    void passesARequestOfOneValidTraceThroughAsItIs() throws Exception {
        byte[] body = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(TraceSplitterTest.resourceSpans("svc", TraceSplitterTest.span(4, 1), TraceSplitterTest.span(4, 2)))
                .build().toByteArray();

        EncodedSplit split = WireTraceSplitter.split(body);

        assertThat(split.traces()).singleElement().satisfies(t -> {
            assertThat(t.request()).isSameAs(body);
            assertThat(t.spanCount()).isEqualTo(2);
            assertThat(t.traceIdHex()).isEqualTo(TraceSplitterTest.traceHex(4));
        });
    }

    private static ExportTraceServiceRequest randomRequest(SplittableRandom random) {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        for (int r = 0; r < 1 + random.nextInt(3); r++) {
            ResourceSpans.Builder resourceSpans = ResourceSpans.newBuilder();
            if (random.nextBoolean()) {
                resourceSpans.setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue("svc-" + r))));
            }
            if (random.nextBoolean()) {
                resourceSpans.setSchemaUrl("https://opentelemetry.io/schemas/1.37.0");
            }
            for (int s = 0; s < random.nextInt(3); s++) {
                ScopeSpans.Builder scopeSpans = ScopeSpans.newBuilder();
                if (random.nextBoolean()) {
                    scopeSpans.setScope(InstrumentationScope.newBuilder().setName("scope-" + s).setVersion("1.0"));
                }
                if (random.nextBoolean()) {
                    scopeSpans.setSchemaUrl("https://example.com/scope");
                }
                for (int i = 0; i < random.nextInt(12); i++) {
                    Span span = TraceSplitterTest.span(1 + random.nextInt(4), 1 + random.nextInt(1000)).toBuilder()
                            .addAttributes(KeyValue.newBuilder().setKey("k").setValue(AnyValue.newBuilder()
                                    .setStringValue("v".repeat(random.nextInt(300)))))
                            .build();
                    switch (random.nextInt(12)) {
                        case 0 -> span = span.toBuilder().setTraceId(ByteString.copyFrom(new byte[16])).build();
                        case 1 -> span = span.toBuilder().setSpanId(ByteString.copyFrom(new byte[] {1, 2})).build();
                        case 2 -> span = span.toBuilder().setParentSpanId(ByteString.copyFrom(new byte[] {1})).build();
                        case 3 -> span = span.toBuilder().setParentSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                                .build();
                        default -> {
                        }
                    }
                    scopeSpans.addSpans(span);
                }
                resourceSpans.addScopeSpans(scopeSpans);
            }
            request.addResourceSpans(resourceSpans);
        }
        return request.build();
    }
}
