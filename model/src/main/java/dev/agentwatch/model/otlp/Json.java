package dev.agentwatch.model.otlp;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A tiny, tolerant JSON reader for the JSON strings that conventions put in span attributes
 * ({@code metadata}, {@code llm.invocation_parameters}, {@code gen_ai.output.messages}, tool
 * arguments). Values are {@code Map<String,Object>} (insertion-ordered), {@code List<Object>},
 * {@code String}, {@code BigDecimal}, {@code Boolean} or {@link #NULL}.
 *
 * <p>It never throws on bad input: {@link #parse} answers empty. Nesting deeper than
 * {@value #MAX_DEPTH} is treated as bad input so hostile payloads cannot exhaust the stack.
 * Stateless and thread-safe.
 */
final class Json {

    /** JSON {@code null}; a sentinel because collections here never hold Java null. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    static final int MAX_DEPTH = 64;

    private Json() {
    }

    /** Parses a whole JSON text; empty if it is not valid JSON (surrounding whitespace allowed). */
    static Optional<Object> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Reader reader = new Reader(text);
        try {
            reader.skipWhitespace();
            Object value = reader.value(0);
            reader.skipWhitespace();
            return reader.atEnd() ? Optional.of(value) : Optional.empty();
        } catch (BadJson e) {
            return Optional.empty();
        }
    }

    /** Parses a JSON object; empty unless the text is one. */
    @SuppressWarnings("unchecked")
    static Optional<Map<String, Object>> parseObject(String text) {
        return parse(text).filter(Map.class::isInstance).map(v -> (Map<String, Object>) v);
    }

    /**
     * Canonical compact form: object keys sorted, no whitespace, numbers without trailing zeros.
     * Two texts that differ only in key order, spacing or number spelling give the same form.
     */
    static String canonical(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /**
     * The canonical form of {@code text} if it is a JSON object or array, else the text itself:
     * scalars and plain text are hashed as sent.
     */
    static String canonicalText(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            Optional<Object> parsed = parse(trimmed);
            if (parsed.isPresent()) {
                return canonical(parsed.get());
            }
        }
        return text;
    }

    /** The string at {@code key} of a JSON object, else empty. Numbers and booleans are spelled out. */
    static String string(Map<?, ?> object, String key) {
        Object value = object.get(key);
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof BigDecimal || value instanceof Boolean) {
            return value.toString();
        }
        return "";
    }

    @SuppressWarnings("unchecked")
    private static void write(Object value, StringBuilder out) {
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
                    writeString(e.getKey(), out);
                    out.append(':');
                    write(e.getValue(), out);
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(list.get(i), out);
                }
                out.append(']');
            }
            case String s -> writeString(s, out);
            case BigDecimal n -> out.append(n.signum() == 0 ? "0" : n.stripTrailingZeros().toString());
            case Long n -> out.append(n);
            case Integer n -> out.append(n);
            case Double d -> {
                if (d.isNaN() || d.isInfinite()) {
                    writeString(d.toString(), out);
                } else {
                    write(BigDecimal.valueOf(d), out);
                }
            }
            case Boolean b -> out.append(b);
            default -> {
                if (value == NULL) {
                    out.append("null");
                } else {
                    writeString(value.toString(), out);
                }
            }
        }
    }

    private static void writeString(String s, StringBuilder out) {
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

    /** Control flow for malformed input; never escapes this class. */
    private static final class BadJson extends Exception {
        BadJson() {
            super(null, null, false, false);
        }
    }

    private static final class Reader {
        private final String text;
        private int pos;

        Reader(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return pos >= text.length();
        }

        void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    pos++;
                } else {
                    return;
                }
            }
        }

        Object value(int depth) throws BadJson {
            if (depth > MAX_DEPTH || atEnd()) {
                throw new BadJson();
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", NULL);
                default -> number();
            };
        }

        private Map<String, Object> object(int depth) throws BadJson {
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw new BadJson();
                }
                String key = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                map.put(key, value(depth + 1));
                skipWhitespace();
                char c = next();
                if (c == '}') {
                    return map;
                }
                if (c != ',') {
                    throw new BadJson();
                }
            }
        }

        private List<Object> array(int depth) throws BadJson {
            pos++;
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return Collections.unmodifiableList(list);
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth + 1));
                skipWhitespace();
                char c = next();
                if (c == ']') {
                    return Collections.unmodifiableList(list);
                }
                if (c != ',') {
                    throw new BadJson();
                }
            }
        }

        private String string() throws BadJson {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    char e = next();
                    switch (e) {
                        case '"', '\\', '/' -> out.append(e);
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'n' -> out.append('\n');
                        case 'r' -> out.append('\r');
                        case 't' -> out.append('\t');
                        case 'u' -> {
                            if (pos + 4 > text.length()) {
                                throw new BadJson();
                            }
                            try {
                                out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                            } catch (NumberFormatException ex) {
                                throw new BadJson();
                            }
                            pos += 4;
                        }
                        default -> throw new BadJson();
                    }
                } else {
                    out.append(c);
                }
            }
        }

        private Object literal(String word, Object value) throws BadJson {
            if (!text.startsWith(word, pos)) {
                throw new BadJson();
            }
            pos += word.length();
            return value;
        }

        private BigDecimal number() throws BadJson {
            int start = pos;
            while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            if (start == pos || pos - start > 400) {
                throw new BadJson();
            }
            try {
                BigDecimal n = new BigDecimal(text.substring(start, pos));
                // Absurd exponents would make later arithmetic or printing expensive.
                if (Math.abs(n.scale()) > 1000) {
                    throw new BadJson();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new BadJson();
            }
        }

        private char peek() throws BadJson {
            if (atEnd()) {
                throw new BadJson();
            }
            return text.charAt(pos);
        }

        private char next() throws BadJson {
            char c = peek();
            pos++;
            return c;
        }

        private void expect(char c) throws BadJson {
            if (next() != c) {
                throw new BadJson();
            }
        }
    }
}
