package dev.agentwatch.model.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Keeps prompt and completion content out of storage. Applied by the collector to every span
 * before it reaches Kafka, in one of two modes:
 * <ul>
 *   <li>{@link #removing()} (the default): content-bearing attributes and events are removed;</li>
 *   <li>{@link #redacting(UnaryOperator)} (content capture on): they stay, with every string in
 *       them passed through the redactor (emails, card numbers, secrets, ...).</li>
 * </ul>
 * Either way the span gains the {@code agentwatch.content.*} attributes
 * ({@link AgentwatchAttributes#CONTENT_SUMMARIZED} and the ones after it) computed from the
 * original content: lengths, hashes, the tool calls the model asked for (names and call ids are
 * not content and stay as sent; their arguments are), whether a tool result looked like an error.
 * {@link OtlpSpanMapper} reads those, so a filtered span maps to the same {@code Step} as the
 * original.
 *
 * <h2>Content</h2>
 * Attributes (see {@link #isContentKey(String)}): OTel GenAI {@code gen_ai.input.messages},
 * {@code gen_ai.output.messages}, {@code gen_ai.system_instructions}, {@code gen_ai.prompt},
 * {@code gen_ai.completion}, {@code gen_ai.tool.call.arguments}, {@code gen_ai.tool.call.result},
 * {@code gen_ai.retrieval.query.text}; OpenInference {@code input.value}, {@code output.value},
 * {@code llm.input_messages.*}, {@code llm.output_messages.*} message content, content-part text
 * and tool call arguments, {@code llm.prompts[.*]}, {@code llm.choices.*.completion.text},
 * {@code llm.function_call}, {@code llm.prompt_template.variables},
 * {@code retrieval.documents.*.document.content}, {@code reranker.query} and document contents,
 * {@code embedding.embeddings.*.embedding.text}; OpenLLMetry {@code gen_ai.prompt.N.content},
 * {@code gen_ai.completion.N.content}, their tool call {@code arguments},
 * {@code traceloop.entity.input}, {@code traceloop.entity.output}. Span events: v1.27
 * {@code gen_ai.content.prompt}/{@code gen_ai.content.completion}, the per-message events
 * {@code gen_ai.system|user|assistant|tool.message}, {@code gen_ai.choice} and
 * {@code gen_ai.client.inference.operation.details} (by event name or {@code event.name}).
 * Not content, kept as sent: roles, tool names and call ids, model parameters, tool definitions,
 * token counts, {@code metadata}, evaluation results ({@code gen_ai.evaluation.result} events),
 * exception events.
 *
 * <p>Pure, immutable and thread-safe when the redactor is.
 */
public final class SpanContentFilter {

    private static final Set<String> CONTENT_KEYS = Set.of(
            "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions",
            "gen_ai.prompt", "gen_ai.completion", "gen_ai.tool.call.arguments", "gen_ai.tool.call.result",
            "gen_ai.retrieval.query.text", "input.value", "output.value",
            "traceloop.entity.input", "traceloop.entity.output",
            "llm.prompts", "llm.function_call", "llm.prompt_template.variables", "reranker.query");

    private static final Set<String> CONTENT_EVENTS = Set.of(
            "gen_ai.content.prompt", "gen_ai.content.completion",
            "gen_ai.system.message", "gen_ai.user.message", "gen_ai.assistant.message", "gen_ai.tool.message",
            "gen_ai.choice", "gen_ai.client.inference.operation.details");

    private static final ByteString ZERO_SPAN_ID = ByteString.copyFrom(new byte[8]);
    private static final String SUMMARY_PREFIX = "agentwatch.content.";

    private final UnaryOperator<String> redactor;

    private SpanContentFilter(UnaryOperator<String> redactor) {
        this.redactor = redactor;
    }

    /** Removes content; the default. */
    public static SpanContentFilter removing() {
        return new SpanContentFilter(null);
    }

    /** Keeps content with every string in it passed through {@code redactor}. */
    public static SpanContentFilter redacting(UnaryOperator<String> redactor) {
        return new SpanContentFilter(Objects.requireNonNull(redactor, "redactor"));
    }

    /** Whether this filter keeps (redacted) content rather than removing it. */
    public boolean keepsContent() {
        return redactor != null;
    }

    /** Is an attribute with this key content? */
    public static boolean isContentKey(String key) {
        // Called for every attribute of every span: dispatch on the first character before hashing.
        if (key.length() < 11) {
            return false;
        }
        return switch (key.charAt(0)) {
            case 'g' -> key.startsWith("gen_ai.") && genAiContent(key);
            case 'i' -> key.equals("input.value");
            case 'o' -> key.equals("output.value");
            case 't' -> key.startsWith("traceloop.entity.") && CONTENT_KEYS.contains(key);
            case 'l' -> key.startsWith("llm.") && llmContent(key);
            case 'r' -> key.equals("reranker.query")
                    || (key.startsWith("retrieval.documents.") || key.startsWith("reranker.input_documents.")
                    || key.startsWith("reranker.output_documents.")) && key.endsWith(".document.content");
            case 'e' -> key.startsWith("embedding.embeddings.") && key.endsWith(".embedding.text");
            default -> false;
        };
    }

    private static boolean genAiContent(String key) {
        return switch (key.charAt(7)) {
            case 'p' -> key.equals("gen_ai.prompt") || key.startsWith("gen_ai.prompt.") && indexedContent(key);
            case 'c' -> key.equals("gen_ai.completion") || key.startsWith("gen_ai.completion.") && indexedContent(key);
            case 'i', 'o', 's', 't', 'r' -> CONTENT_KEYS.contains(key);
            default -> false;
        };
    }

    private static boolean indexedContent(String key) {
        return key.endsWith(".content") || key.endsWith(".arguments");
    }

    private static boolean llmContent(String key) {
        if (key.startsWith("llm.input_messages.")) {
            return true;
        }
        if (key.startsWith("llm.prompts")) {
            return key.length() == 11 || key.charAt(11) == '.';
        }
        if (key.startsWith("llm.output_messages.")) {
            return key.endsWith(".message.content") || key.endsWith(".message_content.text")
                    || key.endsWith(".function.arguments") || key.endsWith(".message.function_call_arguments_json");
        }
        if (key.startsWith("llm.choices.")) {
            return key.endsWith(".completion.text");
        }
        return key.equals("llm.function_call") || key.equals("llm.prompt_template.variables");
    }

    /** Is this one of agentwatch's own content summary attributes (recomputed on every pass)? */
    public static boolean isSummaryKey(String key) {
        return key.startsWith(SUMMARY_PREFIX);
    }

    /** Is this span event one that carries content? */
    public static boolean isContentEvent(Span.Event event) {
        if (isContentEventName(event.getName())) {
            return true;
        }
        for (KeyValue kv : event.getAttributesList()) {
            if (kv.getKey().equals("event.name")) {
                return isContentEventName(kv.getValue().getStringValue());
            }
        }
        return false;
    }

    /** Is this event name (the event's own, or its {@code event.name} attribute) one of content? */
    public static boolean isContentEventName(String name) {
        return CONTENT_EVENTS.contains(name);
    }

    /** Does the span carry any content (or a summary to recompute)? */
    public static boolean carriesContent(Span span) {
        for (int i = 0, n = span.getAttributesCount(); i < n; i++) {
            String key = span.getAttributes(i).getKey();
            if (isContentKey(key) || isSummaryKey(key)) {
                return true;
            }
        }
        for (int i = 0, n = span.getEventsCount(); i < n; i++) {
            if (isContentEvent(span.getEvents(i))) {
                return true;
            }
        }
        return false;
    }

    /** The request with every span filtered; the same instance when no span carries content. */
    public ExportTraceServiceRequest apply(ExportTraceServiceRequest request) {
        // One pass; the request is copied only from the first span that changes.
        ExportTraceServiceRequest.Builder out = null;
        for (int r = 0; r < request.getResourceSpansCount(); r++) {
            ResourceSpans resourceSpans = request.getResourceSpans(r);
            for (int s = 0; s < resourceSpans.getScopeSpansCount(); s++) {
                ScopeSpans scopeSpans = resourceSpans.getScopeSpans(s);
                for (int i = 0; i < scopeSpans.getSpansCount(); i++) {
                    Span span = scopeSpans.getSpans(i);
                    Span filtered = apply(span);
                    if (filtered != span) {
                        if (out == null) {
                            out = request.toBuilder();
                        }
                        out.getResourceSpansBuilder(r).getScopeSpansBuilder(s).setSpans(i, filtered);
                    }
                }
            }
        }
        return out == null ? request : out.build();
    }

    /**
     * What removing content adds to a span that carries some, for a writer that drops the content
     * fields itself (the collector's wire-level path): the attributes to append after the kept
     * ones, in order, and the span's new {@code dropped_events_count} when events were removed.
     * Removing mode only; {@link #apply(Span)} builds the same span from it.
     *
     * @param appended            summary attributes, then the markers of what was removed
     * @param eventsRemoved       content events removed
     * @param droppedEventsCount  the span's dropped events count once they are
     */
    public record Removal(List<KeyValue> appended, int eventsRemoved, int droppedEventsCount) {
        public Removal {
            appended = List.copyOf(appended);
        }
    }

    /** The removal for {@code span}, or empty when it carries no content. Removing mode only. */
    public Optional<Removal> removal(Span span) {
        if (redactor != null) {
            throw new IllegalStateException("this filter keeps content (redacting); there is no removal");
        }
        if (!carriesContent(span)) {
            return Optional.empty();
        }
        List<KeyValue> appended = new ArrayList<>(summary(span).attributes());
        boolean completionPrompts = false;
        for (KeyValue kv : span.getAttributesList()) {
            String key = kv.getKey();
            completionPrompts |= !isSummaryKey(key) && isContentKey(key) && key.startsWith("llm.prompts.");
        }
        if (completionPrompts) {
            appended.add(KeyValue.newBuilder().setKey(AgentwatchAttributes.CONTENT_COMPLETION_PROMPTS)
                    .setValue(AnyValue.newBuilder().setBoolValue(true)).build());
        }
        int eventsRemoved = 0;
        for (Span.Event event : span.getEventsList()) {
            eventsRemoved += isContentEvent(event) ? 1 : 0;
        }
        if (eventsRemoved > 0) {
            appended.add(KeyValue.newBuilder().setKey(AgentwatchAttributes.CONTENT_EVENTS_REMOVED)
                    .setValue(AnyValue.newBuilder().setIntValue(eventsRemoved)).build());
        }
        return Optional.of(new Removal(appended, eventsRemoved, span.getDroppedEventsCount() + eventsRemoved));
    }

    /** The span filtered; the same instance when it carries no content. */
    public Span apply(Span span) {
        if (!carriesContent(span)) {
            return span;
        }
        if (redactor == null) {
            return removed(span, removal(span).orElseThrow());
        }
        Span.Builder out = span.toBuilder().clearAttributes().clearEvents();
        for (KeyValue kv : span.getAttributesList()) {
            String key = kv.getKey();
            if (isSummaryKey(key)) {
                continue;
            }
            out.addAttributes(isContentKey(key) ? kv.toBuilder().setValue(redact(kv.getValue())).build() : kv);
        }
        out.addAllAttributes(summary(span).attributes());
        for (Span.Event event : span.getEventsList()) {
            if (!isContentEvent(event)) {
                out.addEvents(event);
                continue;
            }
            Span.Event.Builder redacted = event.toBuilder().clearAttributes();
            for (KeyValue kv : event.getAttributesList()) {
                redacted.addAttributes(kv.getKey().equals("event.name") ? kv
                        : kv.toBuilder().setValue(redact(kv.getValue())).build());
            }
            out.addEvents(redacted);
        }
        return out.build();
    }

    /** The span without its content and summary attributes and content events, plus the removal's additions. */
    private static Span removed(Span span, Removal removal) {
        Span.Builder out = span.toBuilder().clearAttributes().clearEvents();
        for (KeyValue kv : span.getAttributesList()) {
            String key = kv.getKey();
            if (!isSummaryKey(key) && !isContentKey(key)) {
                out.addAttributes(kv);
            }
        }
        out.addAllAttributes(removal.appended());
        for (Span.Event event : span.getEventsList()) {
            if (!isContentEvent(event)) {
                out.addEvents(event);
            }
        }
        if (removal.eventsRemoved() > 0) {
            out.setDroppedEventsCount(removal.droppedEventsCount());
        }
        return out.build();
    }

    /** A summary already on the span (filtered twice, or sent by an agent) is what the mapper reads. */
    private static ContentSummary summary(Span span) {
        SpanAttributes attributes = SpanAttributes.of(span.getAttributesList());
        boolean root = span.getParentSpanId().isEmpty() || span.getParentSpanId().equals(ZERO_SPAN_ID);
        boolean toolSpan = StepClassifier.classify(attributes, root).toolSpan();
        return ContentSummary.read(attributes).orElseGet(() -> ContentReading.summarize(attributes, span, toolSpan));
    }

    private AnyValue redact(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> {
                String redacted = redactor.apply(value.getStringValue());
                yield redacted.equals(value.getStringValue()) ? value
                        : AnyValue.newBuilder().setStringValue(redacted).build();
            }
            case ARRAY_VALUE -> {
                ArrayValue.Builder array = ArrayValue.newBuilder();
                value.getArrayValue().getValuesList().forEach(v -> array.addValues(redact(v)));
                yield AnyValue.newBuilder().setArrayValue(array).build();
            }
            case KVLIST_VALUE -> {
                KeyValueList.Builder list = KeyValueList.newBuilder();
                value.getKvlistValue().getValuesList()
                        .forEach(kv -> list.addValues(kv.toBuilder().setValue(redact(kv.getValue()))));
                yield AnyValue.newBuilder().setKvlistValue(list).build();
            }
            default -> value;
        };
    }
}
