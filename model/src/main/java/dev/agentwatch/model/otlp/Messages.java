package dev.agentwatch.model.otlp;

import dev.agentwatch.model.ToolCallRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What agentwatch keeps from chat messages carried as JSON: the visible text (only to count and
 * hash it), the tool calls asked for and the finish reasons. Reads both the OTel GenAI message
 * schema ({@code {"role", "parts":[{"type":"text","content"}, {"type":"tool_call","id","name","arguments"}]},
 * "finish_reason"}}) and the OpenAI-style shape older emitters use ({@code {"role","content",
 * "tool_calls":[{"id","function":{"name","arguments"}}]}}, and {@code gen_ai.choice} bodies
 * {@code {"index","finish_reason","message":{...}}}). Reasoning parts are not visible text.
 */
final class Messages {

    private Messages() {
    }

    /** Text pieces, tool calls and finish reasons found in a parsed message list (or one message). */
    record Content(List<String> texts, List<ToolCallRequest> toolCalls, List<String> finishReasons) {
    }

    static Content read(Object json) {
        List<String> texts = new ArrayList<>();
        List<ToolCallRequest> calls = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        switch (json) {
            case List<?> list -> list.forEach(m -> message(m, texts, calls, reasons, 0));
            case Map<?, ?> map -> message(map, texts, calls, reasons, 0);
            case String s -> texts.add(s);
            default -> {
            }
        }
        return new Content(texts, calls, reasons);
    }

    /** The hash agentwatch gives tool arguments: of the canonical JSON form, or of the text as sent. */
    static String argumentsHash(Object arguments) {
        return switch (arguments) {
            case null -> "";
            case String s -> s.isEmpty() ? "" : TextDigest.of(Json.canonicalText(s));
            case Map<?, ?> m -> TextDigest.of(Json.canonical(m));
            case List<?> l -> TextDigest.of(Json.canonical(l));
            default -> arguments == Json.NULL ? "" : TextDigest.of(Json.canonical(arguments));
        };
    }

    private static void message(Object value, List<String> texts, List<ToolCallRequest> calls,
                                List<String> reasons, int depth) {
        if (!(value instanceof Map<?, ?> message) || depth > 2) {
            if (value instanceof String s) {
                texts.add(s);
            }
            return;
        }
        String finish = Json.string(message, "finish_reason");
        if (!finish.isBlank()) {
            reasons.add(finish);
        }
        if (message.get("message") instanceof Map<?, ?> inner) {
            message(inner, texts, calls, reasons, depth + 1);
        }
        if (message.get("parts") instanceof List<?> parts) {
            for (Object p : parts) {
                if (p instanceof Map<?, ?> part) {
                    part(part, texts, calls);
                } else if (p instanceof String s) {
                    texts.add(s);
                }
            }
        }
        Object content = message.get("content");
        if (content instanceof String s) {
            texts.add(s);
        } else if (content instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof String s) {
                    texts.add(s);
                } else if (item instanceof Map<?, ?> part) {
                    part(part, texts, calls);
                }
            }
        }
        if (message.get("tool_calls") instanceof List<?> toolCalls) {
            for (Object c : toolCalls) {
                if (c instanceof Map<?, ?> call) {
                    toolCall(call, calls);
                }
            }
        }
    }

    private static void part(Map<?, ?> part, List<String> texts, List<ToolCallRequest> calls) {
        String type = Json.string(part, "type");
        switch (type) {
            case "text", "output_text", "input_text", "" -> {
                String text = !Json.string(part, "content").isEmpty() ? Json.string(part, "content")
                        : Json.string(part, "text");
                if (!text.isEmpty() || part.containsKey("content") || part.containsKey("text")) {
                    texts.add(text);
                }
            }
            case "tool_call", "tool_use", "function_call" -> toolCall(part, calls);
            default -> {
                // reasoning, media, tool responses: not visible text, not a request
            }
        }
    }

    private static void toolCall(Map<?, ?> call, List<ToolCallRequest> calls) {
        Map<?, ?> function = call.get("function") instanceof Map<?, ?> f ? f : call;
        String name = Json.string(function, "name");
        Object arguments = function.containsKey("arguments") ? function.get("arguments") : function.get("input");
        String id = Json.string(call, "id");
        if (name.isBlank() && id.isBlank()) {
            return;
        }
        calls.add(new ToolCallRequest(id, name, argumentsHash(arguments)));
    }
}
