package dev.agentwatch.alerts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One Alertmanager-style label matcher: {@code name="value"}, {@code name!="value"},
 * {@code name=~"regex"} or {@code name!~"regex"}. Regexes are anchored (they must match the whole
 * value) and a missing label matches as the empty string, as in Alertmanager. Immutable,
 * thread-safe; written and read as its text form in JSON.
 */
public final class LabelMatcher {
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** The four comparison operators. */
    public enum Operator {
        EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    private final String name;
    private final Operator operator;
    private final String value;
    private final Pattern pattern;

    private LabelMatcher(String name, Operator operator, String value) {
        this.name = Objects.requireNonNull(name, "name");
        this.operator = Objects.requireNonNull(operator, "operator");
        this.value = Objects.requireNonNull(value, "value");
        if (!LABEL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad label name '" + name + "' in matcher: use letters, digits and '_'");
        }
        if (operator == Operator.REGEX || operator == Operator.NOT_REGEX) {
            try {
                this.pattern = Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad regex in matcher " + name + operator.symbol + "\"" + value + "\": "
                        + e.getDescription(), e);
            }
        } else {
            this.pattern = null;
        }
    }

    public static LabelMatcher of(String name, Operator operator, String value) {
        return new LabelMatcher(name, operator, value);
    }

    /** Parses {@code name="value"} (quotes optional, {@code \"} and {@code \\} escapes inside quotes). */
    @JsonCreator
    public static LabelMatcher parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("matcher is missing");
        }
        String s = text.strip();
        int i = 0;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            i++;
        }
        String name = s.substring(0, i);
        String rest = s.substring(i).stripLeading();
        Operator operator = null;
        for (Operator candidate : new Operator[] {Operator.REGEX, Operator.NOT_REGEX, Operator.NOT_EQUAL, Operator.EQUAL}) {
            if (rest.startsWith(candidate.symbol)) {
                operator = candidate;
                break;
            }
        }
        if (name.isEmpty() || operator == null) {
            throw new IllegalArgumentException("bad matcher '" + text + "': write name=\"value\", name!=\"value\", "
                    + "name=~\"regex\" or name!~\"regex\"");
        }
        String raw = rest.substring(operator.symbol.length()).strip();
        return new LabelMatcher(name, operator, unquote(raw, text));
    }

    private static String unquote(String raw, String text) {
        if (!raw.startsWith("\"")) {
            return raw;
        }
        if (raw.length() < 2 || !raw.endsWith("\"")) {
            throw new IllegalArgumentException("bad matcher '" + text + "': unterminated quoted value");
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < raw.length() - 1; i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length() - 1) {
                char next = raw.charAt(++i);
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether {@code labels} satisfy this matcher; a missing label is the empty string. */
    public boolean matches(Map<String, String> labels) {
        String actual = labels.getOrDefault(name, "");
        return switch (operator) {
            case EQUAL -> actual.equals(value);
            case NOT_EQUAL -> !actual.equals(value);
            case REGEX -> pattern.matcher(actual).matches();
            case NOT_REGEX -> !pattern.matcher(actual).matches();
        };
    }

    /** Whether this matcher matches a label set without {@link #name()}: silences need one that does not. */
    public boolean matchesEmpty() {
        return matches(Map.of());
    }

    public String name() {
        return name;
    }

    public Operator operator() {
        return operator;
    }

    public String value() {
        return value;
    }

    @JsonValue
    @Override
    public String toString() {
        return name + operator.symbol + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LabelMatcher that && name.equals(that.name) && operator == that.operator
                && value.equals(that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, operator, value);
    }
}
