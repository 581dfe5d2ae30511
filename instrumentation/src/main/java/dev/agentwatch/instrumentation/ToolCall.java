package dev.agentwatch.instrumentation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import java.util.Map;
import java.util.Objects;

/**
 * One tool execution: an {@code execute_tool {tool}} span (INTERNAL) with {@code gen_ai.tool.name},
 * {@code gen_ai.tool.call.id} and {@code gen_ai.tool.type}. Arguments are sent as a keyed-hash
 * stand-in unless content is captured, so repeated identical calls are visible and their values
 * are not. A failing tool calls {@link #fail(Throwable)}; an agent that then carries on as if it
 * had succeeded is what agentwatch reports as a swallowed error.
 */
public final class ToolCall extends AgentSpan {

    private ToolCall(AgentTelemetry telemetry, Span span, AgentRun run) {
        super(telemetry, span, run.context());
    }

    /** The tool's result ({@code gen_ai.tool.call.result}); sent only when content is captured. */
    public ToolCall result(Object result) {
        Objects.requireNonNull(result, "result");
        if (telemetry.capturesContent()) {
            span.setAttribute(GenAiAttributes.TOOL_CALL_RESULT,
                    result instanceof String s ? s : CanonicalJson.of(result));
        }
        return this;
    }

    /** A tool execution about to start. */
    public static final class Builder {
        private final AgentRun run;
        private final String toolName;
        private String callId = "";
        private String type = "function";
        private Map<String, ?> arguments;

        Builder(AgentRun run, String toolName) {
            this.run = run;
            this.toolName = toolName;
        }

        /** The model's tool call id this execution answers ({@code gen_ai.tool.call.id}). */
        public Builder callId(String callId) {
            this.callId = AgentTelemetry.requireText(callId, "callId");
            return this;
        }

        /** {@code gen_ai.tool.type}: {@code function} (default), {@code extension} or {@code datastore}. */
        public Builder type(String type) {
            this.type = AgentTelemetry.requireText(type, "type");
            return this;
        }

        /** The call's arguments, a JSON-like map; redacted to a keyed hash unless content is captured. */
        public Builder arguments(Map<String, ?> arguments) {
            this.arguments = Objects.requireNonNull(arguments, "arguments");
            return this;
        }

        public ToolCall start() {
            SpanBuilder builder = run.childSpan("execute_tool " + toolName, SpanKind.INTERNAL)
                    .setAttribute(GenAiAttributes.OPERATION_NAME, "execute_tool")
                    .setAttribute(GenAiAttributes.TOOL_NAME, toolName)
                    .setAttribute(GenAiAttributes.TOOL_TYPE, type);
            if (!callId.isEmpty()) {
                builder.setAttribute(GenAiAttributes.TOOL_CALL_ID, callId);
            }
            if (arguments != null) {
                builder.setAttribute(GenAiAttributes.TOOL_CALL_ARGUMENTS, run.telemetry.capturesContent()
                        ? CanonicalJson.of(arguments) : run.telemetry.redactedArguments(arguments));
            }
            return new ToolCall(run.telemetry, builder.startSpan(), run);
        }
    }
}
