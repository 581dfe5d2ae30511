package dev.agentwatch.model.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.agentwatch.model.PriceTable;
import dev.agentwatch.model.Step;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Hand-built spans for mapper tests: a child span of a fixed trace unless told otherwise. */
final class TestSpans {

    static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    static final String PARENT_ID = "b7ad6b7169203331";
    static final Resource RESOURCE = Resource.newBuilder()
            .addAttributes(kv("service.name", "support-bot"))
            .build();
    static final OtlpSpanMapper MAPPER = new OtlpSpanMapper(PriceTable.defaults());

    private static final AtomicLong NEXT_SPAN = new AtomicLong(0x1000);

    private TestSpans() {
    }

    static Builder span(String name) {
        return new Builder(name);
    }

    static Step map(Span span) {
        return map(RESOURCE, span);
    }

    static Step map(Resource resource, Span span) {
        Step step = MAPPER.map("acme", resource, InstrumentationScope.getDefaultInstance(), span);
        // Every mapper test doubles as a content filter test: what the collector stores maps the same.
        for (SpanContentFilter filter : FILTERS) {
            Span filtered = filter.apply(span);
            if (!filter.keepsContent()) {
                assertThat(filtered.getAttributesList()).extracting(KeyValue::getKey)
                        .noneMatch(SpanContentFilter::isContentKey);
                assertThat(filtered.getEventsList()).noneMatch(SpanContentFilter::isContentEvent);
            }
            assertThat(MAPPER.map("acme", resource, InstrumentationScope.getDefaultInstance(), filtered))
                    .as("step after %s", filter.keepsContent() ? "redacting content" : "removing content")
                    .isEqualTo(step);
        }
        return step;
    }

    /** Removing, and redacting with a redactor that changes every string it sees. */
    private static final List<SpanContentFilter> FILTERS = List.of(
            SpanContentFilter.removing(), SpanContentFilter.redacting(s -> s.isEmpty() ? s : "[x]" + s.length()));

    static ByteString hex(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    static KeyValue kv(String key, Object value) {
        return KeyValue.newBuilder().setKey(key).setValue(value(value)).build();
    }

    static AnyValue value(Object value) {
        return switch (value) {
            case AnyValue v -> v;
            case String s -> AnyValue.newBuilder().setStringValue(s).build();
            case Integer i -> AnyValue.newBuilder().setIntValue(i).build();
            case Long l -> AnyValue.newBuilder().setIntValue(l).build();
            case Double d -> AnyValue.newBuilder().setDoubleValue(d).build();
            case Boolean b -> AnyValue.newBuilder().setBoolValue(b).build();
            case List<?> list -> {
                ArrayValue.Builder array = ArrayValue.newBuilder();
                list.forEach(item -> array.addValues(value(item)));
                yield AnyValue.newBuilder().setArrayValue(array).build();
            }
            case Map<?, ?> map -> {
                KeyValueList.Builder kvs = KeyValueList.newBuilder();
                map.forEach((k, v) -> kvs.addValues(kv(k.toString(), v)));
                yield AnyValue.newBuilder().setKvlistValue(kvs).build();
            }
            default -> throw new IllegalArgumentException("unsupported attribute value " + value);
        };
    }

    static final class Builder {
        private final Span.Builder span = Span.newBuilder();

        Builder(String name) {
            span.setName(name)
                    .setTraceId(hex(TRACE_ID))
                    .setSpanId(hex(String.format("%016x", NEXT_SPAN.incrementAndGet())))
                    .setParentSpanId(hex(PARENT_ID))
                    .setStartTimeUnixNano(1_700_000_000_000_000_000L)
                    .setEndTimeUnixNano(1_700_000_000_250_000_000L)
                    .setKind(Span.SpanKind.SPAN_KIND_INTERNAL);
        }

        Builder attr(String key, Object value) {
            span.addAttributes(kv(key, value));
            return this;
        }

        Builder root() {
            span.clearParentSpanId();
            return this;
        }

        Builder ids(ByteString traceId, ByteString spanId, ByteString parentSpanId) {
            span.setTraceId(traceId).setSpanId(spanId).setParentSpanId(parentSpanId);
            return this;
        }

        Builder times(long startEpochNanos, long endEpochNanos) {
            span.setStartTimeUnixNano(startEpochNanos).setEndTimeUnixNano(endEpochNanos);
            return this;
        }

        Builder status(Status.StatusCode code, String message) {
            span.setStatus(Status.newBuilder().setCode(code).setMessage(message));
            return this;
        }

        Builder event(String name, Map<String, ?> attributes) {
            Span.Event.Builder event = Span.Event.newBuilder().setName(name).setTimeUnixNano(1_700_000_000_100_000_000L);
            attributes.forEach((k, v) -> event.addAttributes(kv(k, v)));
            span.addEvents(event);
            return this;
        }

        Span build() {
            return span.build();
        }

        Step map() {
            return TestSpans.map(build());
        }
    }
}
