package dev.agentwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.agentwatch.collector.TraceSplitter.Split;
import dev.agentwatch.collector.TraceSplitter.TraceBatch;
import dev.agentwatch.collector.WireTraceSplitter.EncodedSplit;
import dev.agentwatch.collector.WireTraceSplitter.EncodedTrace;
import dev.agentwatch.model.otlp.SpanContentFilter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.EntityRef;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wire split gives exactly what parsing, filtering and the decoded split give; and whatever
 * it accepts, protobuf parses (it declines the rest to the full parser).
 */
class WireTraceSplitterTest {
    private static final SpanContentFilter REMOVING = SpanContentFilter.removing();
    private static final SpanContentFilter REDACTING = SpanContentFilter.redacting(s -> s.replace("secret", "[REDACTED]"));
    private static final List<String> KEYS = List.of(
            "gen_ai.operation.name", "gen_ai.request.model", "gen_ai.usage.input_tokens", "service.name", "k",
            "gen_ai.tool.name", "http.status_code", "überschrift", "event.name",
            // content, in each convention, and agentwatch's own summaries
            "gen_ai.input.messages", "gen_ai.output.messages", "input.value", "output.value",
            "llm.input_messages.0.message.content", "gen_ai.prompt.0.content", "gen_ai.completion.0.content",
            "traceloop.entity.input", "gen_ai.tool.call.arguments", "agentwatch.content.input_chars");
    private static final List<String> EVENTS = List.of("exception", "gen_ai.evaluation.result", "gen_ai.content.prompt",
            "gen_ai.choice", "log");

    @RepeatedTest(300)
    void cutsTheSameRecordsAsParsingFilteringAndTheDecodedSplitter(RepetitionInfo repetition) throws Exception {
        SplittableRandom random = new SplittableRandom(repetition.getCurrentRepetition());
        ExportTraceServiceRequest request = randomRequest(random);
        SpanContentFilter filter = random.nextBoolean() ? REMOVING : REDACTING;

        EncodedSplit encoded = WireTraceSplitter.split(request.toByteArray(), filter);

        assertThat(encoded).as("plain OTLP takes the wire path").isNotNull();
        assertSameAsDecoded(encoded, request, filter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"llm_error", "loop", "ok", "tool_error"})
    void realCapturesTakeTheWirePathAndLoseTheirContentAsTheParserWould(String scenario) throws Exception {
        for (byte[] body : SharedReference.capture(scenario)) {
            EncodedSplit encoded = WireTraceSplitter.split(body, REMOVING);

            assertThat(encoded).as(scenario).isNotNull();
            assertSameAsDecoded(encoded, ExportTraceServiceRequest.parseFrom(body), REMOVING);
        }
    }

    @RepeatedTest(40)
    void whateverItAcceptsProtobufParsesAndSplitsTheSame(RepetitionInfo repetition) throws Exception {
        SplittableRandom random = new SplittableRandom(1000L + repetition.getCurrentRepetition());
        byte[] valid = randomRequest(random).toByteArray();
        int accepted = 0;
        int declined = 0;
        for (int i = 0; i < 100; i++) {
            byte[] mutated = mutate(valid, random);

            EncodedSplit encoded = WireTraceSplitter.split(mutated, REMOVING);

            if (encoded != null) {
                ExportTraceServiceRequest parsed;
                try {
                    parsed = ExportTraceServiceRequest.parseFrom(mutated);
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError("accepted a body protobuf refuses: " + e.getMessage(), e);
                }
                assertSameAsDecoded(encoded, parsed, REMOVING);
                accepted++;
            } else {
                declined++;
            }
        }
        assertThat(accepted).as("mutations still plain OTLP (a changed value, say)").isPositive();
        assertThat(declined).as("mutations that broke the structure").isPositive();
    }

    @Test
    void passesARequestOfOneValidTraceWithoutContentThroughAsItIs() {
        byte[] body = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(TraceSplitterTest.resourceSpans("svc", TraceSplitterTest.span(4, 1), TraceSplitterTest.span(4, 2)))
                .build().toByteArray();

        EncodedSplit split = WireTraceSplitter.split(body, REMOVING);

        assertThat(split.traces()).singleElement().satisfies(t -> {
            assertThat(t.request()).isSameAs(body);
            assertThat(t.spanCount()).isEqualTo(2);
            assertThat(t.traceIdHex()).isEqualTo(TraceSplitterTest.traceHex(4));
        });
    }

    @Test
    void declinesWhatItDoesNotModelAndTheParserStillReadsIt() throws Exception {
        Span span = TraceSplitterTest.span(1, 1);
        List<ExportTraceServiceRequest> unusual = List.of(
                // a newer schema field: Resource.entity_refs
                request(ResourceSpans.newBuilder().setResource(Resource.newBuilder()
                        .addEntityRefs(EntityRef.newBuilder().setType("service"))).addScopeSpans(scope(span))),
                // string-table indexes
                request(ResourceSpans.newBuilder().addScopeSpans(scope(span.toBuilder()
                        .addAttributes(KeyValue.newBuilder().setKeyStrindex(3)).build()))),
                request(ResourceSpans.newBuilder().addScopeSpans(scope(span.toBuilder()
                        .addAttributes(KeyValue.newBuilder().setKey("k").setValue(AnyValue.newBuilder().setStringValueStrindex(2)))
                        .build()))),
                // a field from the future
                request(ResourceSpans.newBuilder().addScopeSpans(scope(span.toBuilder().setUnknownFields(
                        UnknownFieldSet.newBuilder().addField(99, UnknownFieldSet.Field.newBuilder().addVarint(7).build())
                                .build()).build()))));
        for (ExportTraceServiceRequest request : unusual) {
            byte[] body = request.toByteArray();

            assertThat(WireTraceSplitter.split(body, REMOVING)).isNull();
            assertThatCode(() -> ExportTraceServiceRequest.parseFrom(body)).doesNotThrowAnyException();
        }
    }

    @Test
    void declinesTwoCopiesOfASingularMessageWhichTheParserWouldMerge() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        ResourceSpans resourceSpans = ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "a")))
                .addScopeSpans(scope(TraceSplitterTest.span(1, 1))).build();
        byte[] twice = concat(resourceSpans.toByteArray(), Resource.newBuilder()
                .addAttributes(attribute("team", "b")).build().toByteArray());
        out.writeByteArray(1, twice);
        out.flush();

        assertThat(WireTraceSplitter.split(bytes.toByteArray(), REMOVING)).isNull();
    }

    @Test
    void declinesMalformedBytes() {
        byte[] valid = randomRequest(new SplittableRandom(7)).toByteArray();

        assertThat(WireTraceSplitter.split(Arrays.copyOf(valid, valid.length - 1), REMOVING)).isNull();
        assertThat(WireTraceSplitter.split(new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f},
                REMOVING)).isNull();
        assertThat(WireTraceSplitter.split(new byte[] {0x00}, REMOVING)).isNull();
        // A negative length (-11) pointing back at its own tag: it looped, filling the heap.
        byte[] backwards = {0x0a, 0x0b, 0x12, (byte) 0xf5, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> WireTraceSplitter.split(backwards, REMOVING)))
                .isNull();
        byte[] badUtf8 = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setSchemaUrl("x")).build().toByteArray();
        badUtf8[badUtf8.length - 1] = (byte) 0xC3; // a lead byte with nothing after it
        assertThat(WireTraceSplitter.split(badUtf8, REMOVING)).isNull();
    }

    private static void assertSameAsDecoded(EncodedSplit encoded, ExportTraceServiceRequest request,
                                            SpanContentFilter filter) throws IOException {
        Split decoded = new TraceSplitter().split(filter.apply(request));
        assertThat(encoded.rejectedSpans()).isEqualTo(decoded.rejectedSpans());
        assertThat(encoded.rejectionReason()).isEqualTo(decoded.rejectionReason());
        assertThat(encoded.acceptedSpans()).isEqualTo(decoded.acceptedSpans());
        assertThat(encoded.traces()).extracting(EncodedTrace::traceIdHex)
                .containsExactlyElementsOf(decoded.traces().stream().map(TraceBatch::traceIdHex).toList());
        for (int i = 0; i < decoded.traces().size(); i++) {
            assertThat(flatten(ExportTraceServiceRequest.parseFrom(encoded.traces().get(i).request())))
                    .isEqualTo(flatten(decoded.traces().get(i).request()));
            assertThat(encoded.traces().get(i).spanCount()).isEqualTo(decoded.traces().get(i).spanCount());
        }
    }

    /** Each span with its resource and scope: what a reader of the record sees. */
    private record SpanInContext(Resource resource, String resourceSchema, InstrumentationScope scope, String scopeSchema,
                                 Span span) {
    }

    /**
     * The request as its spans in context. Two encodings may differ in what carries no span (a
     * resource sent without spans, an empty resource written or left out) and still mean the same.
     */
    private static List<SpanInContext> flatten(ExportTraceServiceRequest request) {
        List<SpanInContext> spans = new ArrayList<>();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    spans.add(new SpanInContext(resourceSpans.getResource(), resourceSpans.getSchemaUrl(),
                            scopeSpans.getScope(), scopeSpans.getSchemaUrl(), span));
                }
            }
        }
        return spans;
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static byte[] mutate(byte[] valid, SplittableRandom random) {
        byte[] out = valid.clone();
        switch (random.nextInt(4)) {
            case 0 -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
            case 1 -> out = Arrays.copyOf(out, random.nextInt(out.length));
            case 2 -> {
                int at = random.nextInt(out.length);
                out[at] = (byte) (out[at] ^ (1 << random.nextInt(8)));
            }
            default -> {
                int at = random.nextInt(out.length);
                byte[] longer = new byte[out.length + 1];
                System.arraycopy(out, 0, longer, 0, at);
                longer[at] = (byte) random.nextInt(256);
                System.arraycopy(out, at, longer, at + 1, out.length - at);
                out = longer;
            }
        }
        return out;
    }

    private static ExportTraceServiceRequest request(ResourceSpans.Builder resourceSpans) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(resourceSpans).build();
    }

    private static ScopeSpans.Builder scope(Span span) {
        return ScopeSpans.newBuilder().addSpans(span);
    }

    private static byte[] concat(byte[] a, byte[] b) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(a);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeByteArray(1, b);
        out.flush();
        return bytes.toByteArray();
    }

    static ExportTraceServiceRequest randomRequest(SplittableRandom random) {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        for (int r = 0; r < 1 + random.nextInt(3); r++) {
            ResourceSpans.Builder resourceSpans = ResourceSpans.newBuilder();
            if (random.nextBoolean()) {
                Resource.Builder resource = Resource.newBuilder().addAttributes(attribute("service.name", "svc-" + r));
                if (random.nextBoolean()) {
                    resource.setDroppedAttributesCount(random.nextInt(3));
                }
                resourceSpans.setResource(resource);
            }
            if (random.nextBoolean()) {
                resourceSpans.setSchemaUrl("https://opentelemetry.io/schemas/1.37.0");
            }
            for (int s = 0; s < random.nextInt(3); s++) {
                ScopeSpans.Builder scopeSpans = ScopeSpans.newBuilder();
                if (random.nextBoolean()) {
                    scopeSpans.setScope(InstrumentationScope.newBuilder().setName("scope-" + s).setVersion("1.0")
                            .addAttributes(attribute("lib", "x")));
                }
                if (random.nextBoolean()) {
                    scopeSpans.setSchemaUrl("https://example.com/scope");
                }
                for (int i = 0; i < random.nextInt(12); i++) {
                    scopeSpans.addSpans(randomSpan(random));
                }
                resourceSpans.addScopeSpans(scopeSpans);
            }
            request.addResourceSpans(resourceSpans);
        }
        return request.build();
    }

    private static Span randomSpan(SplittableRandom random) {
        Span.Builder span = TraceSplitterTest.span(1 + random.nextInt(4), 1 + random.nextInt(1000)).toBuilder()
                .setName(random.nextBoolean() ? "chat gpt-4o" : "execute_tool lookup – ünïcode")
                .setKind(Span.SpanKind.forNumber(random.nextInt(6)))
                .setStartTimeUnixNano(random.nextLong(1, Long.MAX_VALUE))
                .setEndTimeUnixNano(random.nextLong(1, Long.MAX_VALUE));
        if (random.nextBoolean()) {
            span.setTraceState("vendor=a").setFlags(random.nextInt(512));
        }
        for (int a = 0; a < random.nextInt(8); a++) {
            span.addAttributes(KeyValue.newBuilder().setKey(KEYS.get(random.nextInt(KEYS.size()))).setValue(randomValue(random, 0)));
        }
        for (int e = 0; e < random.nextInt(3); e++) {
            Span.Event.Builder event = Span.Event.newBuilder().setTimeUnixNano(random.nextLong(1, Long.MAX_VALUE))
                    .setName(EVENTS.get(random.nextInt(EVENTS.size())));
            if (random.nextBoolean()) {
                event.addAttributes(attribute("event.name", EVENTS.get(random.nextInt(EVENTS.size()))));
            }
            event.addAttributes(KeyValue.newBuilder().setKey("gen_ai.prompt").setValue(randomValue(random, 0)));
            span.addEvents(event);
        }
        if (random.nextBoolean()) {
            span.setDroppedEventsCount(random.nextInt(3)).setDroppedAttributesCount(random.nextInt(2));
        }
        if (random.nextInt(4) == 0) {
            span.addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(new byte[8]))
                    .setTraceState("x").setFlags(1).addAttributes(attribute("link", "y")));
        }
        if (random.nextBoolean()) {
            span.setStatus(Status.newBuilder().setCode(Status.StatusCode.forNumber(random.nextInt(3))).setMessage("secret failed"));
        }
        switch (random.nextInt(12)) {
            case 0 -> span.setTraceId(ByteString.copyFrom(new byte[16]));
            case 1 -> span.setSpanId(ByteString.copyFrom(new byte[] {1, 2}));
            case 2 -> span.setParentSpanId(ByteString.copyFrom(new byte[] {1}));
            case 3 -> span.setParentSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
            default -> {
            }
        }
        return span.build();
    }

    private static AnyValue randomValue(SplittableRandom random, int depth) {
        return switch (random.nextInt(depth < 3 ? 8 : 6)) {
            case 0 -> AnyValue.newBuilder().setBoolValue(random.nextBoolean()).build();
            case 1 -> AnyValue.newBuilder().setIntValue(random.nextLong()).build();
            case 2 -> AnyValue.newBuilder().setDoubleValue(random.nextDouble()).build();
            case 3 -> AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {0, (byte) 0xff})).build();
            case 4 -> AnyValue.newBuilder().build();
            case 5 -> AnyValue.newBuilder().setStringValue(
                    random.nextBoolean() ? "my secret is “42” 🙂" : "v".repeat(random.nextInt(300))).build();
            case 6 -> AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(randomValue(random, depth + 1))
                    .addValues(randomValue(random, depth + 1))).build();
            default -> AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                    .addValues(KeyValue.newBuilder().setKey("role").setValue(randomValue(random, depth + 1)))
                    .addValues(KeyValue.newBuilder().setKey("content").setValue(randomValue(random, depth + 1)))).build();
        };
    }
}
