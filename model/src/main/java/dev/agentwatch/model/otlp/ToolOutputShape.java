package dev.agentwatch.model.otlp;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Does a tool's output text look like an error? A deliberately small heuristic, because tools
 * often return failures as ordinary output and the span stays OK (a swallowed tool error):
 * <ul>
 *   <li>text that starts (after whitespace, case-insensitively) with a failure word as a whole
 *       word: {@code error}, {@code exception}, {@code fatal}, {@code failed}, {@code failure},
 *       {@code traceback}, {@code panic}, or a phrase such as {@code request failed},
 *       {@code permission denied}, {@code access denied}, {@code unauthorized}, {@code forbidden},
 *       {@code not found}, {@code internal server error}, {@code service unavailable},
 *       {@code bad gateway}, {@code gateway timeout}, {@code too many requests}, {@code timed out};
 *       so "Error: x", "ERROR x", "Exception in ..." match but "Errors found: 0" does not;</li>
 *   <li>an exception class name first: {@code ValueError: ...}, {@code java.io.IOException ...};</li>
 *   <li>an HTTP error status first: {@code HTTP/1.1 503 ...}, {@code 500: ...}, or a 4xx/5xx code followed
 *       by its reason phrase ({@code 404 Not Found}, {@code 429 Too Many Requests}); a bare number
 *       such as "450 results" does not match;</li>
 *   <li>a JSON object with a non-empty {@code error} or {@code errors} member, {@code "isError": true}
 *       (MCP tool results), {@code "success": false}, {@code "ok": false}, or
 *       {@code "status": "error"|"failed"|"failure"} or a numeric 4xx/5xx {@code status};</li>
 *   <li>a JSON string whose content matches the text rules.</li>
 * </ul>
 * Stateless and thread-safe.
 */
final class ToolOutputShape {

    private static final Pattern FAILURE_WORD = Pattern.compile(
            "^(error|exception|fatal|failed|failure|traceback|panic|request failed|permission denied|access denied"
                    + "|unauthori[sz]ed|forbidden|not found|internal server error|service unavailable|bad gateway"
                    + "|gateway timeout|too many requests|timed out)(?![a-z0-9_])",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern EXCEPTION_CLASS = Pattern.compile(
            "^([A-Za-z_$][\\w$]*\\.)*[A-Z][\\w$]*(Error|Exception)\\b");
    private static final Pattern HTTP_STATUS = Pattern.compile(
            "^(HTTP/\\d(\\.\\d)?\\s+[45]\\d\\d\\b|[45]\\d\\d\\s*:|[45]\\d\\d\\s+(bad|unauthori[sz]ed|payment|forbidden|not"
                    + "|method|request|conflict|gone|too|internal|service|gateway|unprocessable|precondition"
                    + "|unsupported|length)\\b)",
            Pattern.CASE_INSENSITIVE);

    private ToolOutputShape() {
    }

    static boolean looksLikeError(String output) {
        String text = output.strip();
        if (text.isEmpty()) {
            return false;
        }
        char first = text.charAt(0);
        if (first == '{' || first == '"') {
            Optional<Object> parsed = Json.parse(text);
            if (parsed.isPresent()) {
                return switch (parsed.get()) {
                    case Map<?, ?> object -> errorObject(object);
                    case String s -> !s.strip().startsWith("\"") && looksLikeError(s);
                    default -> false;
                };
            }
        }
        return FAILURE_WORD.matcher(text).lookingAt()
                || EXCEPTION_CLASS.matcher(text).lookingAt()
                || HTTP_STATUS.matcher(text).lookingAt();
    }

    private static boolean errorObject(Map<?, ?> object) {
        for (String key : List.of("error", "errors")) {
            Object v = object.get(key);
            if (v != null && v != Json.NULL && !Boolean.FALSE.equals(v)
                    && !(v instanceof String s && s.isBlank())
                    && !(v instanceof List<?> l && l.isEmpty())
                    && !(v instanceof Map<?, ?> m && m.isEmpty())) {
                return true;
            }
        }
        if (Boolean.TRUE.equals(object.get("isError"))
                || Boolean.FALSE.equals(object.get("success"))
                || Boolean.FALSE.equals(object.get("ok"))) {
            return true;
        }
        Object status = object.get("status");
        if (status instanceof String s) {
            String st = s.strip().toLowerCase(Locale.ROOT);
            return st.equals("error") || st.equals("failed") || st.equals("failure");
        }
        if (status instanceof BigDecimal code) {
            return code.compareTo(BigDecimal.valueOf(400)) >= 0 && code.compareTo(BigDecimal.valueOf(600)) < 0;
        }
        return false;
    }
}
