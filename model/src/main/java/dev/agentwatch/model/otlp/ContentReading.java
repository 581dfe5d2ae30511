package dev.agentwatch.model.otlp;

import dev.agentwatch.model.ToolCallRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Reads a span's prompt, completion and tool content into a {@link ContentSummary}: lengths,
 * hashes, requested tool calls, finish reasons. The text itself goes no further. Lives for one
 * span; not thread-safe (nor shared).
 */
final class ContentReading {
    private final SpanAttributes a;
    private final Span span;

    private ContentReading(SpanAttributes a, Span span) {
        this.a = a;
        this.span = span;
    }

    /** The summary of the content {@code span} carries; {@code toolSpan} per {@link StepClassifier}. */
    static ContentSummary summarize(SpanAttributes a, Span span, boolean toolSpan) {
        ContentReading reading = new ContentReading(a, span);
        Content output = reading.output();
        Optional<String> input = reading.input();
        return new ContentSummary(
                input.map(ContentReading::codePoints).orElse(0L),
                output.text().map(ContentReading::codePoints).orElse(0L),
                output.text().map(TextDigest::of).orElse(""),
                reading.toolArgumentsHash(toolSpan),
                toolSpan && reading.toolResult().map(ToolOutputShape::looksLikeError).orElse(false),
                reading.requestedToolCalls(output),
                output.finishReasons());
    }

    // ---- tools

    private String toolArgumentsHash(boolean toolSpan) {
        Optional<Object> structured = a.raw("gen_ai.tool.call.arguments").map(SpanAttributes::toJava);
        if (structured.isPresent()) {
            return Messages.argumentsHash(structured.get());
        }
        if (toolSpan) {
            Optional<String> text = a.text("input.value", "traceloop.entity.input");
            if (text.isPresent()) {
                return Messages.argumentsHash(text.get());
            }
        }
        return "";
    }

    private Optional<String> toolResult() {
        return a.text("gen_ai.tool.call.result", "output.value", "traceloop.entity.output");
    }

    private List<ToolCallRequest> requestedToolCalls(Content output) {
        if (!output.toolCalls().isEmpty()) {
            return output.toolCalls();
        }
        List<ToolCallRequest> calls = new ArrayList<>();
        for (SpanAttributes message : a.indexed("llm.output_messages.").values()) {
            for (SpanAttributes call : message.indexed("message.tool_calls.").values()) {
                addCall(calls, call.string("tool_call.id"), call.string("tool_call.function.name"),
                        call.text("tool_call.function.arguments"));
            }
        }
        if (calls.isEmpty()) {
            for (SpanAttributes completion : a.indexed("gen_ai.completion.").values()) {
                for (SpanAttributes call : completion.indexed("tool_calls.").values()) {
                    addCall(calls, call.string("id"), call.string("name"), call.text("arguments"));
                }
            }
        }
        if (calls.isEmpty()) {
            legacyContentEvent("gen_ai.content.completion", "gen_ai.completion")
                    .ifPresent(json -> calls.addAll(Messages.read(json).toolCalls()));
        }
        if (calls.isEmpty() && a.has("llm.function_call")) {
            Json.parseObject(a.string("llm.function_call")).ifPresent(fc -> {
                String fn = Json.string(fc, "name");
                if (!fn.isBlank()) {
                    calls.add(new ToolCallRequest("", fn, Messages.argumentsHash(fc.get("arguments"))));
                }
            });
        }
        return calls;
    }

    private static void addCall(List<ToolCallRequest> calls, String id, String name, Optional<String> arguments) {
        if (id.isBlank() && name.isBlank()) {
            return;
        }
        calls.add(new ToolCallRequest(id, name, arguments.map(Messages::argumentsHash).orElse("")));
    }

    // ---- content (lengths and hashes only)

    /** Output text joined by newlines, if the span carries any; tool calls and finish reasons seen. */
    record Content(Optional<String> text, List<ToolCallRequest> toolCalls, List<String> finishReasons) {
    }

    private Content output() {
        Optional<Object> messages = a.structured("gen_ai.output.messages");
        if (messages.isPresent()) {
            Messages.Content content = Messages.read(messages.get());
            return new Content(Optional.of(String.join("\n", content.texts())), content.toolCalls(),
                    content.finishReasons());
        }
        Optional<String> text = openInferenceMessages("llm.output_messages.")
                .or(() -> indexedText("llm.choices.", "completion.text"))
                .or(() -> indexedText("gen_ai.completion.", "content"))
                .or(() -> legacyContentEvent("gen_ai.content.completion", "gen_ai.completion")
                        .map(json -> String.join("\n", Messages.read(json).texts())))
                .or(() -> a.text("gen_ai.tool.call.result", "output.value", "traceloop.entity.output"));
        return new Content(text, List.of(), List.of());
    }

    private Optional<String> input() {
        Optional<Object> messages = a.structured("gen_ai.input.messages");
        if (messages.isPresent()) {
            List<String> texts = new ArrayList<>();
            a.structured("gen_ai.system_instructions").ifPresent(s -> texts.addAll(Messages.read(s).texts()));
            texts.addAll(Messages.read(messages.get()).texts());
            return Optional.of(String.join("\n", texts));
        }
        return openInferenceMessages("llm.input_messages.")
                .or(() -> indexedText("llm.prompts.", "prompt.text"))
                .or(() -> indexedText("gen_ai.prompt.", "content"))
                .or(() -> legacyContentEvent("gen_ai.content.prompt", "gen_ai.prompt")
                        .map(json -> String.join("\n", Messages.read(json).texts())))
                .or(() -> a.text("gen_ai.tool.call.arguments", "input.value", "traceloop.entity.input",
                        "gen_ai.retrieval.query.text"));
    }

    /** OpenInference flattened messages: each message's content and text content parts. */
    private Optional<String> openInferenceMessages(String prefix) {
        SortedMap<Integer, SpanAttributes> messages = a.indexed(prefix);
        if (messages.isEmpty()) {
            return Optional.empty();
        }
        List<String> texts = new ArrayList<>();
        for (SpanAttributes message : messages.values()) {
            message.text("message.content").ifPresent(texts::add);
            for (SpanAttributes part : message.indexed("message.contents.").values()) {
                String type = part.string("message_content.type");
                if (type.isEmpty() || type.equals("text")) {
                    part.text("message_content.text").ifPresent(texts::add);
                }
            }
        }
        return Optional.of(String.join("\n", texts));
    }

    private Optional<String> indexedText(String prefix, String field) {
        SortedMap<Integer, SpanAttributes> items = a.indexed(prefix);
        List<String> texts = new ArrayList<>();
        for (SpanAttributes item : items.values()) {
            item.text(field).ifPresent(texts::add);
        }
        return texts.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", texts));
    }

    /** The v1.27 content span events ({@code gen_ai.content.prompt/completion}), parsed when JSON. */
    private Optional<Object> legacyContentEvent(String eventName, String key) {
        for (Span.Event event : span.getEventsList()) {
            if (event.getName().equals(eventName)) {
                Optional<Object> value = SpanAttributes.of(event.getAttributesList()).structured(key);
                if (value.isPresent()) {
                    return value;
                }
            }
        }
        return Optional.empty();
    }

    private static long codePoints(String text) {
        return text.codePointCount(0, text.length());
    }
}
