package dev.agentwatch.model.otlp;

import dev.agentwatch.model.ToolCallRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What agentwatch keeps of a span's content: lengths, hashes, requested tool calls and the
 * finish reasons found in output messages. The collector writes it onto spans as
 * {@code agentwatch.content.*} attributes ({@link AgentwatchAttributes#CONTENT_SUMMARIZED}) when
 * it removes or redacts the content, so the step comes out the same either way.
 */
record ContentSummary(long inputChars, long outputChars, String outputHash, String toolArgumentsHash,
                      boolean toolOutputLooksLikeError, List<ToolCallRequest> requestedToolCalls,
                      List<String> finishReasons) {

    ContentSummary {
        Objects.requireNonNull(outputHash, "outputHash");
        Objects.requireNonNull(toolArgumentsHash, "toolArgumentsHash");
        requestedToolCalls = List.copyOf(requestedToolCalls);
        finishReasons = List.copyOf(finishReasons);
        if (inputChars < 0 || outputChars < 0) {
            throw new IllegalArgumentException("content lengths are not negative");
        }
    }

    /** The summary a span carries, when the collector summarized it. */
    static Optional<ContentSummary> read(SpanAttributes a) {
        if (!a.string(AgentwatchAttributes.CONTENT_SUMMARIZED).equals("true")) {
            return Optional.empty();
        }
        List<ToolCallRequest> calls = new ArrayList<>();
        a.raw(AgentwatchAttributes.CONTENT_TOOL_CALLS).ifPresent(v -> {
            for (AnyValue item : v.getArrayValue().getValuesList()) {
                SpanAttributes call = SpanAttributes.of(item.getKvlistValue().getValuesList());
                calls.add(new ToolCallRequest(call.string("id"), call.string("name"), call.string("arguments_hash")));
            }
        });
        return Optional.of(new ContentSummary(
                Math.max(0, a.integer(AgentwatchAttributes.CONTENT_INPUT_CHARS).orElse(0)),
                Math.max(0, a.integer(AgentwatchAttributes.CONTENT_OUTPUT_CHARS).orElse(0)),
                a.string(AgentwatchAttributes.CONTENT_OUTPUT_HASH),
                a.string(AgentwatchAttributes.CONTENT_TOOL_ARGUMENTS_HASH),
                a.string(AgentwatchAttributes.CONTENT_TOOL_OUTPUT_ERROR).equals("true"),
                calls,
                a.list(AgentwatchAttributes.CONTENT_FINISH_REASONS)));
    }

    /** The attributes that carry this summary; only the non-empty ones besides the marker. */
    List<KeyValue> attributes() {
        List<KeyValue> out = new ArrayList<>(8);
        out.add(kv(AgentwatchAttributes.CONTENT_SUMMARIZED, AnyValue.newBuilder().setBoolValue(true).build()));
        if (inputChars > 0) {
            out.add(kv(AgentwatchAttributes.CONTENT_INPUT_CHARS, AnyValue.newBuilder().setIntValue(inputChars).build()));
        }
        if (outputChars > 0) {
            out.add(kv(AgentwatchAttributes.CONTENT_OUTPUT_CHARS, AnyValue.newBuilder().setIntValue(outputChars).build()));
        }
        if (!outputHash.isEmpty()) {
            out.add(kv(AgentwatchAttributes.CONTENT_OUTPUT_HASH, string(outputHash)));
        }
        if (!toolArgumentsHash.isEmpty()) {
            out.add(kv(AgentwatchAttributes.CONTENT_TOOL_ARGUMENTS_HASH, string(toolArgumentsHash)));
        }
        if (toolOutputLooksLikeError) {
            out.add(kv(AgentwatchAttributes.CONTENT_TOOL_OUTPUT_ERROR, AnyValue.newBuilder().setBoolValue(true).build()));
        }
        if (!requestedToolCalls.isEmpty()) {
            ArrayValue.Builder calls = ArrayValue.newBuilder();
            for (ToolCallRequest call : requestedToolCalls) {
                calls.addValues(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                        .addValues(kv("id", string(call.callId())))
                        .addValues(kv("name", string(call.toolName())))
                        .addValues(kv("arguments_hash", string(call.argumentsHash())))));
            }
            out.add(kv(AgentwatchAttributes.CONTENT_TOOL_CALLS, AnyValue.newBuilder().setArrayValue(calls).build()));
        }
        if (!finishReasons.isEmpty()) {
            ArrayValue.Builder reasons = ArrayValue.newBuilder();
            finishReasons.forEach(r -> reasons.addValues(string(r)));
            out.add(kv(AgentwatchAttributes.CONTENT_FINISH_REASONS, AnyValue.newBuilder().setArrayValue(reasons).build()));
        }
        return out;
    }

    private static KeyValue kv(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static AnyValue string(String value) {
        return AnyValue.newBuilder().setStringValue(value).build();
    }
}
