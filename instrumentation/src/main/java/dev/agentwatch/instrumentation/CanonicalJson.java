package dev.agentwatch.instrumentation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compact JSON with object keys sorted and numbers spelled one way ({@link BigDecimal} without
 * trailing zeros), so equal arguments give equal text whatever the map's order or the number's
 * Java type. Accepts maps, lists, strings, numbers, booleans and null; anything else is written
 * as its {@code toString()} string.
 */
final class CanonicalJson {

    private CanonicalJson() {
    }

    static String of(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out, int depth) {
        if (depth > 64) {
            throw new IllegalArgumentException("arguments nest deeper than 64 levels");
        }
        switch (value) {
            case null -> out.append("null");
            case Map<?, ?> map -> {
                Map<String, Object> sorted = new TreeMap<>();
                map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, Object> e : sorted.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(e.getKey(), out);
                    out.append(':');
                    write(e.getValue(), out, depth + 1);
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(list.get(i), out, depth + 1);
                }
                out.append(']');
            }
            case String s -> string(s, out);
            case Boolean b -> out.append(b);
            case Double d when d.isNaN() || d.isInfinite() -> string(d.toString(), out);
            case Float f when f.isNaN() || f.isInfinite() -> string(f.toString(), out);
            case Number n -> number(n, out);
            default -> string(value.toString(), out);
        }
    }

    private static void number(Number n, StringBuilder out) {
        BigDecimal decimal = switch (n) {
            case BigDecimal b -> b;
            case BigInteger b -> new BigDecimal(b);
            case Double d -> BigDecimal.valueOf(d);
            case Float f -> new BigDecimal(f.toString());
            default -> BigDecimal.valueOf(n.longValue());
        };
        out.append(decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toString());
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
