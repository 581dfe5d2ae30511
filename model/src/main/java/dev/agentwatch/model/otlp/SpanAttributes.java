package dev.agentwatch.model.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Read-only lookup over one attribute list (span, event or resource). Accessors take several keys
 * and answer the first one present, so precedence rules read as argument order. A key sent twice
 * keeps its last value. Lenient on types: numbers may arrive as int, double or numeric string.
 */
final class SpanAttributes {

    static final SpanAttributes EMPTY = new SpanAttributes(Map.of());

    private final Map<String, AnyValue> values;

    private SpanAttributes(Map<String, AnyValue> values) {
        this.values = values;
    }

    static SpanAttributes of(List<KeyValue> attributes) {
        if (attributes.isEmpty()) {
            return EMPTY;
        }
        Map<String, AnyValue> map = new LinkedHashMap<>();
        for (KeyValue kv : attributes) {
            map.put(kv.getKey(), kv.getValue());
        }
        return new SpanAttributes(map);
    }

    boolean has(String key) {
        AnyValue v = values.get(key);
        return v != null && v.getValueCase() != AnyValue.ValueCase.VALUE_NOT_SET;
    }

    Optional<AnyValue> raw(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> v.getValueCase() != AnyValue.ValueCase.VALUE_NOT_SET);
    }

    /** First non-blank value among {@code keys} as text (scalars spelled out, structures as JSON), else "". */
    String string(String... keys) {
        for (String key : keys) {
            AnyValue v = values.get(key);
            if (v != null) {
                String s = text(v);
                if (!s.isBlank()) {
                    return s;
                }
            }
        }
        return "";
    }

    /** First value among {@code keys} as text, even when blank; empty if none is present. */
    Optional<String> text(String... keys) {
        for (String key : keys) {
            Optional<AnyValue> v = raw(key);
            if (v.isPresent()) {
                return Optional.of(text(v.get()));
            }
        }
        return Optional.empty();
    }

    /** First integer among {@code keys}; doubles are truncated, numeric strings parsed. */
    OptionalLong integer(String... keys) {
        for (String key : keys) {
            AnyValue v = values.get(key);
            if (v == null) {
                continue;
            }
            switch (v.getValueCase()) {
                case INT_VALUE -> {
                    return OptionalLong.of(v.getIntValue());
                }
                case DOUBLE_VALUE -> {
                    double d = v.getDoubleValue();
                    if (Double.isFinite(d)) {
                        return OptionalLong.of((long) d);
                    }
                }
                case STRING_VALUE -> {
                    OptionalLong parsed = parseLong(v.getStringValue());
                    if (parsed.isPresent()) {
                        return parsed;
                    }
                }
                default -> {
                }
            }
        }
        return OptionalLong.empty();
    }

    /** First number among {@code keys} as a double. */
    OptionalDouble number(String... keys) {
        for (String key : keys) {
            AnyValue v = values.get(key);
            if (v == null) {
                continue;
            }
            switch (v.getValueCase()) {
                case INT_VALUE -> {
                    return OptionalDouble.of(v.getIntValue());
                }
                case DOUBLE_VALUE -> {
                    return OptionalDouble.of(v.getDoubleValue());
                }
                case STRING_VALUE -> {
                    try {
                        return OptionalDouble.of(Double.parseDouble(v.getStringValue().strip()));
                    } catch (NumberFormatException e) {
                        // not a number: try the next key
                    }
                }
                default -> {
                }
            }
        }
        return OptionalDouble.empty();
    }

    /**
     * The values of a list attribute: an array value, a JSON-array string, or a single scalar
     * (treated as a one-element list). Blank entries are skipped.
     */
    List<String> list(String key) {
        Optional<AnyValue> v = raw(key);
        if (v.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        AnyValue value = v.get();
        if (value.hasArrayValue()) {
            for (AnyValue item : value.getArrayValue().getValuesList()) {
                String s = text(item);
                if (!s.isBlank()) {
                    out.add(s);
                }
            }
            return out;
        }
        String s = text(value).strip();
        if (s.startsWith("[")) {
            Optional<Object> parsed = Json.parse(s);
            if (parsed.isPresent() && parsed.get() instanceof List<?> items) {
                for (Object item : items) {
                    if (item instanceof String str && !str.isBlank()) {
                        out.add(str);
                    }
                }
                return out;
            }
        }
        if (!s.isEmpty()) {
            out.add(s);
        }
        return out;
    }

    /**
     * A structured value as plain Java (see {@link Json}): a JSON string is parsed, a kvlist or
     * array converted; a plain non-JSON string is answered as itself.
     */
    Optional<Object> structured(String key) {
        return raw(key).map(SpanAttributes::toJava);
    }

    /**
     * Flattened indexed attributes (OpenInference {@code llm.output_messages.0.message.role}, OpenLLMetry
     * {@code gen_ai.completion.0.content}) grouped by index: {@code prefix} is e.g.
     * {@code "llm.output_messages."}; the answer maps each index to the rest of the key
     * ({@code "message.role"}) and its value. Indices sort numerically.
     */
    SortedMap<Integer, SpanAttributes> indexed(String prefix) {
        SortedMap<Integer, Map<String, AnyValue>> groups = new TreeMap<>();
        for (Map.Entry<String, AnyValue> e : values.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(prefix)) {
                continue;
            }
            int dot = key.indexOf('.', prefix.length());
            if (dot <= prefix.length() || dot - prefix.length() > 6 || dot == key.length() - 1) {
                continue;
            }
            String digits = key.substring(prefix.length(), dot);
            if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                continue;
            }
            groups.computeIfAbsent(Integer.parseInt(digits), i -> new HashMap<>()).put(key.substring(dot + 1), e.getValue());
        }
        SortedMap<Integer, SpanAttributes> out = new TreeMap<>();
        groups.forEach((i, map) -> out.put(i, new SpanAttributes(map)));
        return out;
    }

    boolean hasKeyStartingWith(String prefix) {
        for (String key : values.keySet()) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            case ARRAY_VALUE, KVLIST_VALUE -> Json.canonical(toJava(v));
            case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
            default -> "";
        };
    }

    static Object toJava(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> {
                String s = v.getStringValue();
                String t = s.strip();
                if (t.startsWith("{") || t.startsWith("[")) {
                    yield Json.parse(t).orElse(s);
                }
                yield s;
            }
            case BOOL_VALUE -> v.getBoolValue();
            case INT_VALUE -> BigDecimal.valueOf(v.getIntValue());
            case DOUBLE_VALUE -> Double.isFinite(v.getDoubleValue()) ? BigDecimal.valueOf(v.getDoubleValue())
                    : Double.toString(v.getDoubleValue());
            case ARRAY_VALUE -> {
                List<Object> list = new ArrayList<>();
                for (AnyValue item : v.getArrayValue().getValuesList()) {
                    list.add(toJava(item));
                }
                yield list;
            }
            case KVLIST_VALUE -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (KeyValue kv : v.getKvlistValue().getValuesList()) {
                    map.put(kv.getKey(), toJava(kv.getValue()));
                }
                yield map;
            }
            case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
            default -> Json.NULL;
        };
    }

    private static OptionalLong parseLong(String s) {
        String t = s.strip();
        if (t.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(t));
        } catch (NumberFormatException e) {
            try {
                double d = Double.parseDouble(t);
                return Double.isFinite(d) ? OptionalLong.of((long) d) : OptionalLong.empty();
            } catch (NumberFormatException e2) {
                return OptionalLong.empty();
            }
        }
    }
}
