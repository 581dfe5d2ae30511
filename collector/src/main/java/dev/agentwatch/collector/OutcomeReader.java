package dev.agentwatch.collector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the body of {@code POST /v1/outcomes}: one outcome object, an array of them, or
 * {@code {"outcomes": [...]}}. Fields:
 * <ul>
 *   <li>{@code outcome_id}: optional, at most 200 characters; when absent it is derived from the
 *       content (SHA-256 of tenant, ids, verdict, value, source, the {@code observed_at} as sent,
 *       reason and attributes), so a retried request gets the same id and deduplicates;</li>
 *   <li>{@code run_id} (32 hex digits, the trace id) and/or {@code subject_id} (at most 256
 *       characters): at least one;</li>
 *   <li>{@code verdict} ({@code correct}, {@code incorrect}, {@code partial}) and/or
 *       {@code actual_value} (at most 1024 characters): at least one;</li>
 *   <li>{@code source}: required, a short token of {@code [a-z0-9_.-]}, at most 64 characters
 *       ({@code human_review}, {@code customer}, {@code downstream_system}, {@code judge}, ...);</li>
 *   <li>{@code observed_at}: optional RFC 3339 date-time or epoch milliseconds, not before 2000 and
 *       not more than a day ahead; default: now;</li>
 *   <li>{@code reason}: optional, at most 4096 characters;</li>
 *   <li>{@code attributes}: optional object of at most 64 string values (keys at most 128
 *       characters, values at most 1024).</li>
 * </ul>
 * Every problem is reported, each with the outcome's index and the field, and any problem refuses
 * the whole batch so nothing is half-written. Unknown fields are problems too (usually a typo).
 * At most {@value #MAX_OUTCOMES} outcomes a request. Pure and thread-safe.
 */
final class OutcomeReader {
    static final int MAX_OUTCOMES = 1000;

    /** One problem: the outcome's index in the batch (-1 for the body), the field, what is wrong. */
    record FieldError(int index, String field, String message) {
        FieldError {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(message, "message");
        }
    }

    /** The outcomes when {@code errors} is empty; else nothing may be stored. */
    record Read(List<Outcome> outcomes, List<FieldError> errors) {
        Read {
            outcomes = List.copyOf(outcomes);
            errors = List.copyOf(errors);
        }
    }

    /** JSON tokens per request at most: 1,000 outcomes with every field and 64 attributes take 150,000. */
    static final long MAX_TOKENS = 200_000;
    private static final ObjectMapper MAPPER = RequestBodies.jsonMapper(MAX_TOKENS);
    private static final Set<String> FIELDS = Set.of("outcome_id", "run_id", "subject_id", "verdict", "actual_value",
            "source", "observed_at", "reason", "attributes");
    private static final List<String> KNOWN_FIELDS = FIELDS.stream().sorted().toList();
    private static final Pattern RUN_ID = Pattern.compile("[0-9a-fA-F]{32}");
    private static final Pattern SOURCE = Pattern.compile("[a-z0-9_.-]{1,64}");
    private static final long EARLIEST_MILLIS = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    private static final long DAY_MILLIS = 24L * 3600 * 1000;

    private OutcomeReader() {
    }

    static Read read(byte[] body, String tenant, long nowMillis) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return refused("body", "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return refused("body", "unreadable body: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            return refused("body", "empty body: send an outcome object, an array, or {\"outcomes\": [...]}");
        }
        List<JsonNode> items = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(items::add);
        } else if (root.isObject() && root.has("outcomes")) {
            JsonNode outcomes = root.get("outcomes");
            if (!outcomes.isArray() || root.size() != 1) {
                return refused("outcomes", "a wrapper object holds only \"outcomes\": an array of outcome objects");
            }
            outcomes.forEach(items::add);
        } else if (root.isObject()) {
            items.add(root);
        } else {
            return refused("body", "send an outcome object, an array, or {\"outcomes\": [...]}");
        }
        if (items.size() > MAX_OUTCOMES) {
            return refused("outcomes", "at most " + MAX_OUTCOMES + " outcomes a request, got " + items.size());
        }
        List<Outcome> outcomes = new ArrayList<>(items.size());
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Outcome outcome = outcome(i, items.get(i), tenant, nowMillis, errors);
            if (outcome != null) {
                outcomes.add(outcome);
            }
        }
        return errors.isEmpty() ? new Read(outcomes, List.of()) : new Read(List.of(), errors);
    }

    private static Read refused(String field, String message) {
        return new Read(List.of(), List.of(new FieldError(-1, field, message)));
    }

    private static Outcome outcome(int index, JsonNode item, String tenant, long nowMillis, List<FieldError> errors) {
        if (!item.isObject()) {
            errors.add(new FieldError(index, "", "an outcome is a JSON object"));
            return null;
        }
        int before = errors.size();
        Fields f = new Fields(index, item, errors);
        for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(index, name, "unknown field; known fields: " + String.join(", ", KNOWN_FIELDS)));
            }
        }
        String outcomeId = f.text("outcome_id", 200);
        String runId = f.text("run_id", 64);
        if (!runId.isEmpty() && (!RUN_ID.matcher(runId).matches() || runId.chars().allMatch(c -> c == '0'))) {
            f.error("run_id", "must be the run's trace id: 32 hex digits, not all zero");
        }
        String subjectId = f.text("subject_id", 256);
        if (runId.isEmpty() && subjectId.isEmpty() && !item.hasNonNull("run_id") && !item.hasNonNull("subject_id")) {
            f.error("run_id", "give run_id (the trace id) or subject_id (the business key the run acted on)");
        }
        String verdictText = f.text("verdict", 32);
        Verdict verdict = Verdict.UNSPECIFIED;
        if (!verdictText.isEmpty()) {
            verdict = switch (verdictText.toLowerCase(Locale.ROOT)) {
                case "correct" -> Verdict.CORRECT;
                case "incorrect" -> Verdict.INCORRECT;
                case "partial" -> Verdict.PARTIAL;
                default -> {
                    f.error("verdict", "must be correct, incorrect or partial, got '" + verdictText + "'");
                    yield Verdict.UNSPECIFIED;
                }
            };
        }
        String actualValue = f.text("actual_value", 1024);
        if (verdictText.isEmpty() && actualValue.isEmpty() && !item.hasNonNull("verdict") && !item.hasNonNull("actual_value")) {
            f.error("verdict", "give a verdict (correct, incorrect, partial) or an actual_value");
        }
        String source = f.text("source", 64);
        if (!item.hasNonNull("source")) {
            f.error("source", "required: who says so (human_review, customer, downstream_system, judge, ...)");
        } else if (!source.isEmpty() && !SOURCE.matcher(source).matches()) {
            f.error("source", "must be a short token of a-z, 0-9, '_', '.', '-' (e.g. human_review), got '" + source + "'");
        }
        long observed = observedAt(f, item.get("observed_at"), nowMillis);
        String reason = f.text("reason", 4096);
        Map<String, String> attributes = attributes(f, item.get("attributes"));
        if (errors.size() > before) {
            return null;
        }
        String id = outcomeId.isEmpty()
                ? derivedId(tenant, runId, subjectId, verdictText, actualValue, source, item.get("observed_at"), reason, attributes)
                : outcomeId;
        return new Outcome(id, tenant, runId.toLowerCase(Locale.ROOT), subjectId, verdict, actualValue, source,
                observed, nowMillis, reason, attributes);
    }

    private static long observedAt(Fields f, JsonNode value, long nowMillis) {
        if (value == null || value.isNull()) {
            return nowMillis;
        }
        long millis;
        if (value.isIntegralNumber()) {
            millis = value.asLong();
        } else if (value.isTextual() && value.asText().strip().matches("\\d{1,15}")) {
            millis = Long.parseLong(value.asText().strip());
        } else if (value.isTextual()) {
            try {
                millis = OffsetDateTime.parse(value.asText().strip().replace(' ', 'T')).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                f.error("observed_at", "must be an RFC 3339 date-time (2026-01-31T12:00:00Z) or epoch milliseconds, got '"
                        + abbreviate(value.asText()) + "'");
                return nowMillis;
            }
        } else {
            f.error("observed_at", "must be an RFC 3339 date-time string or epoch milliseconds number");
            return nowMillis;
        }
        if (millis < EARLIEST_MILLIS) {
            f.error("observed_at", "is before 2000 (epoch seconds instead of milliseconds?)");
        } else if (millis > nowMillis + DAY_MILLIS) {
            f.error("observed_at", "is more than a day in the future");
        }
        return millis;
    }

    private static Map<String, String> attributes(Fields f, JsonNode value) {
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            f.error("attributes", "must be an object of string values");
            return Map.of();
        }
        if (value.size() > 64) {
            f.error("attributes", "at most 64 attributes, got " + value.size());
        }
        Map<String, String> attributes = new TreeMap<>();
        value.properties().forEach(e -> {
            String field = "attributes." + e.getKey();
            if (e.getKey().isBlank() || e.getKey().length() > 128) {
                f.error(field, "keys are 1 to 128 characters");
            } else if (!e.getValue().isTextual()) {
                f.error(field, "must be a string, got " + e.getValue().getNodeType().name().toLowerCase(Locale.ROOT));
            } else if (e.getValue().asText().length() > 1024) {
                f.error(field, "at most 1024 characters");
            } else {
                attributes.put(e.getKey(), e.getValue().asText());
            }
        });
        return attributes;
    }

    private static String derivedId(String tenant, String runId, String subjectId, String verdict, String actualValue,
                                    String source, JsonNode observedAt, String reason, Map<String, String> attributes) {
        StringBuilder content = new StringBuilder();
        for (String part : List.of(tenant, runId.toLowerCase(Locale.ROOT), subjectId, verdict.toLowerCase(Locale.ROOT),
                actualValue, source, observedAt == null || observedAt.isNull() ? "" : observedAt.asText(), reason)) {
            content.append(part).append('\u0000');
        }
        attributes.forEach((k, v) -> content.append(k).append('\u0001').append(v).append('\u0000'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.toString().getBytes(StandardCharsets.UTF_8));
            return "oc_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** String fields of one outcome, reporting type and length problems. */
    private record Fields(int index, JsonNode item, List<FieldError> errors) {
        /** The field's text, "" when absent or null; a non-string or too long value is an error. */
        String text(String field, int maxChars) {
            JsonNode value = item.get(field);
            if (value == null || value.isNull()) {
                return "";
            }
            if (!value.isTextual()) {
                error(field, "must be a string, got " + value.getNodeType().name().toLowerCase(Locale.ROOT));
                return "";
            }
            String text = value.asText().strip();
            if (text.isEmpty()) {
                error(field, "must not be empty (leave it out instead)");
            } else if (text.length() > maxChars) {
                error(field, "at most " + maxChars + " characters, got " + text.length());
                return "";
            }
            return text;
        }

        void error(String field, String message) {
            errors.add(new FieldError(index, field, message));
        }
    }
}
