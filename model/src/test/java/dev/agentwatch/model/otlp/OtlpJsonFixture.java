package dev.agentwatch.model.otlp;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Test-only reader for OTLP/JSON trace requests (FORMATS.md §5.4): hex ids, int64 as strings,
 * integer enums. Covers the fields the mapper reads; built on the module's own {@link Json} so the
 * model module needs no JSON library (protobuf-java-util's JsonFormat would misread hex ids).
 */
final class OtlpJsonFixture {

    private OtlpJsonFixture() {
    }

    static ExportTraceServiceRequest parse(String json) {
        Map<?, ?> root = (Map<?, ?>) Json.parse(json).orElseThrow(() -> new IllegalArgumentException("not JSON"));
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        for (Object rsObj : list(root, "resourceSpans")) {
            Map<?, ?> rs = (Map<?, ?>) rsObj;
            ResourceSpans.Builder resourceSpans = ResourceSpans.newBuilder();
            Map<?, ?> resource = map(rs, "resource");
            resourceSpans.setResource(Resource.newBuilder().addAllAttributes(attributes(resource)));
            for (Object ssObj : list(rs, "scopeSpans")) {
                Map<?, ?> ss = (Map<?, ?>) ssObj;
                Map<?, ?> scope = map(ss, "scope");
                ScopeSpans.Builder scopeSpans = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder()
                        .setName(Json.string(scope, "name")).setVersion(Json.string(scope, "version"))
                        .addAllAttributes(attributes(scope)));
                for (Object spanObj : list(ss, "spans")) {
                    scopeSpans.addSpans(span((Map<?, ?>) spanObj));
                }
                resourceSpans.addScopeSpans(scopeSpans);
            }
            request.addResourceSpans(resourceSpans);
        }
        return request.build();
    }

    private static Span span(Map<?, ?> s) {
        Span.Builder span = Span.newBuilder()
                .setTraceId(TestSpans.hex(Json.string(s, "traceId").toLowerCase(Locale.ROOT)))
                .setSpanId(TestSpans.hex(Json.string(s, "spanId").toLowerCase(Locale.ROOT)))
                .setParentSpanId(TestSpans.hex(Json.string(s, "parentSpanId").toLowerCase(Locale.ROOT)))
                .setName(Json.string(s, "name"))
                .setKindValue(Integer.parseInt(orZero(Json.string(s, "kind"))))
                .setStartTimeUnixNano(Long.parseLong(orZero(Json.string(s, "startTimeUnixNano"))))
                .setEndTimeUnixNano(Long.parseLong(orZero(Json.string(s, "endTimeUnixNano"))))
                .addAllAttributes(attributes(s));
        Map<?, ?> status = map(s, "status");
        span.setStatus(Status.newBuilder().setCodeValue(Integer.parseInt(orZero(Json.string(status, "code"))))
                .setMessage(Json.string(status, "message")));
        for (Object e : list(s, "events")) {
            Map<?, ?> event = (Map<?, ?>) e;
            span.addEvents(Span.Event.newBuilder().setName(Json.string(event, "name"))
                    .setTimeUnixNano(Long.parseLong(orZero(Json.string(event, "timeUnixNano"))))
                    .addAllAttributes(attributes(event)));
        }
        return span.build();
    }

    private static List<KeyValue> attributes(Map<?, ?> owner) {
        return list(owner, "attributes").stream()
                .map(a -> (Map<?, ?>) a)
                .map(a -> KeyValue.newBuilder().setKey(Json.string(a, "key")).setValue(anyValue(map(a, "value"))).build())
                .toList();
    }

    private static AnyValue anyValue(Map<?, ?> v) {
        AnyValue.Builder out = AnyValue.newBuilder();
        if (v.containsKey("stringValue")) {
            out.setStringValue(Json.string(v, "stringValue"));
        } else if (v.containsKey("intValue")) {
            out.setIntValue(Long.parseLong(Json.string(v, "intValue")));
        } else if (v.get("doubleValue") instanceof BigDecimal d) {
            out.setDoubleValue(d.doubleValue());
        } else if (v.get("boolValue") instanceof Boolean b) {
            out.setBoolValue(b);
        } else if (v.containsKey("arrayValue")) {
            ArrayValue.Builder array = ArrayValue.newBuilder();
            list(map(v, "arrayValue"), "values").forEach(item -> array.addValues(anyValue((Map<?, ?>) item)));
            out.setArrayValue(array);
        } else if (v.containsKey("kvlistValue")) {
            KeyValueList.Builder kvs = KeyValueList.newBuilder();
            list(map(v, "kvlistValue"), "values").forEach(item -> {
                Map<?, ?> kv = (Map<?, ?>) item;
                kvs.addValues(KeyValue.newBuilder().setKey(Json.string(kv, "key")).setValue(anyValue(map(kv, "value"))));
            });
            out.setKvlistValue(kvs);
        }
        return out.build();
    }

    private static List<?> list(Map<?, ?> owner, String key) {
        return owner.get(key) instanceof List<?> l ? l : List.of();
    }

    private static Map<?, ?> map(Map<?, ?> owner, String key) {
        return owner.get(key) instanceof Map<?, ?> m ? m : Map.of();
    }

    private static String orZero(String s) {
        return s.isEmpty() ? "0" : s;
    }
}
