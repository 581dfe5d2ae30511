package dev.agentwatch.instrumentation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One model call: a {@code {operation} {model}} span (CLIENT) with provider, request and response
 * model, token usage, finish reasons and the tool calls the model asked for. Requested tool calls
 * go out as {@code gen_ai.output.messages} holding only {@code tool_call} parts (id, name,
 * arguments, the arguments redacted unless content is captured): no completion text is sent.
 */
public final class LlmCall extends AgentSpan {
    private final List<String> toolCallParts = new ArrayList<>();
    private String firstFinishReason = "";

    private LlmCall(AgentTelemetry telemetry, Span span, AgentRun run) {
        super(telemetry, span, run.context());
    }

    /** The model that answered ({@code gen_ai.response.model}), often a dated version of the requested one. */
    public LlmCall responseModel(String model) {
        span.setAttribute(GenAiAttributes.RESPONSE_MODEL, AgentTelemetry.requireText(model, "model"));
        return this;
    }

    /** The provider's completion id ({@code gen_ai.response.id}). */
    public LlmCall responseId(String id) {
        span.setAttribute(GenAiAttributes.RESPONSE_ID, AgentTelemetry.requireText(id, "id"));
        return this;
    }

    /** Token usage ({@code gen_ai.usage.*}); cache and reasoning counts only when non-zero. */
    public LlmCall usage(Usage usage) {
        Objects.requireNonNull(usage, "usage");
        span.setAttribute(GenAiAttributes.USAGE_INPUT_TOKENS, usage.inputTokens());
        span.setAttribute(GenAiAttributes.USAGE_OUTPUT_TOKENS, usage.outputTokens());
        if (usage.cacheReadInputTokens() > 0) {
            span.setAttribute(GenAiAttributes.USAGE_CACHE_READ_INPUT_TOKENS, usage.cacheReadInputTokens());
        }
        if (usage.cacheWriteInputTokens() > 0) {
            span.setAttribute(GenAiAttributes.USAGE_CACHE_CREATION_INPUT_TOKENS, usage.cacheWriteInputTokens());
        }
        if (usage.reasoningOutputTokens() > 0) {
            span.setAttribute(GenAiAttributes.USAGE_REASONING_OUTPUT_TOKENS, usage.reasoningOutputTokens());
        }
        return this;
    }

    /**
     * Why generation stopped, one per choice ({@code gen_ai.response.finish_reasons}): {@code stop},
     * {@code length} (truncated), {@code tool_calls}, {@code content_filter}, ...
     */
    public LlmCall finishReasons(String... reasons) {
        List<String> list = List.of(reasons);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("give at least one finish reason");
        }
        list.forEach(r -> AgentTelemetry.requireText(r, "finish reason"));
        firstFinishReason = list.getFirst();
        span.setAttribute(GenAiAttributes.RESPONSE_FINISH_REASONS, list);
        return this;
    }

    /**
     * A tool call the model asked for. agentwatch expects a tool step with the same call id later
     * in the run; {@code arguments} (a JSON-like map) are redacted unless content is captured.
     */
    public LlmCall requestedToolCall(String callId, String toolName, Map<String, ?> arguments) {
        AgentTelemetry.requireText(callId, "callId");
        AgentTelemetry.requireText(toolName, "toolName");
        Objects.requireNonNull(arguments, "arguments");
        String args = telemetry.capturesContent() ? CanonicalJson.of(arguments)
                : CanonicalJson.of(telemetry.redactedArguments(arguments));
        toolCallParts.add("{\"type\":\"tool_call\",\"id\":" + CanonicalJson.of(callId) + ",\"name\":"
                + CanonicalJson.of(toolName) + ",\"arguments\":" + args + "}");
        return this;
    }

    @Override
    void beforeEnd() {
        if (toolCallParts.isEmpty()) {
            return;
        }
        String finish = firstFinishReason.isEmpty() ? "tool_call" : firstFinishReason;
        span.setAttribute(GenAiAttributes.OUTPUT_MESSAGES, "[{\"role\":\"assistant\",\"parts\":["
                + String.join(",", toolCallParts) + "],\"finish_reason\":" + CanonicalJson.of(finish) + "}]");
    }

    /** A model call about to start. */
    public static final class Builder {
        private final AgentRun run;
        private final String provider;
        private final String requestModel;
        private String operation = "chat";
        private long maxTokens = -1;
        private double temperature = Double.NaN;

        Builder(AgentRun run, String provider, String requestModel) {
            this.run = run;
            this.provider = provider;
            this.requestModel = requestModel;
        }

        /** {@code gen_ai.operation.name}: {@code chat} (default), {@code generate_content}, {@code text_completion}. */
        public Builder operation(String operation) {
            this.operation = AgentTelemetry.requireText(operation, "operation");
            return this;
        }

        /** {@code gen_ai.request.max_tokens}. */
        public Builder maxTokens(long maxTokens) {
            if (maxTokens < 1) {
                throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
            }
            this.maxTokens = maxTokens;
            return this;
        }

        /** {@code gen_ai.request.temperature}. */
        public Builder temperature(double temperature) {
            if (!(temperature >= 0) || Double.isInfinite(temperature)) {
                throw new IllegalArgumentException("temperature must be a non-negative number, got " + temperature);
            }
            this.temperature = temperature;
            return this;
        }

        public LlmCall start() {
            SpanBuilder builder = run.childSpan(operation + " " + requestModel, SpanKind.CLIENT)
                    .setAttribute(GenAiAttributes.OPERATION_NAME, operation)
                    .setAttribute(GenAiAttributes.PROVIDER_NAME, provider)
                    .setAttribute(GenAiAttributes.REQUEST_MODEL, requestModel);
            if (maxTokens > 0) {
                builder.setAttribute(GenAiAttributes.REQUEST_MAX_TOKENS, maxTokens);
            }
            if (!Double.isNaN(temperature)) {
                builder.setAttribute(GenAiAttributes.REQUEST_TEMPERATURE, temperature);
            }
            return new LlmCall(run.telemetry, builder.startSpan(), run);
        }
    }
}
