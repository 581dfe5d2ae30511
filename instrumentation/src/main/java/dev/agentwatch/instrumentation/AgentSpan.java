package dev.agentwatch.instrumentation;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Objects;

/**
 * What every recorded unit of agent work shares: its span, judge verdicts, failure and end.
 * Closing ends the span, so try-with-resources scopes a step; ending twice is harmless.
 * Not thread-safe: one thread records one step.
 */
public abstract sealed class AgentSpan implements AutoCloseable permits AgentRun, LlmCall, ToolCall, HumanHandoff {
    final AgentTelemetry telemetry;
    final Span span;
    private final Context context;
    private boolean ended;

    AgentSpan(AgentTelemetry telemetry, Span span, Context parent) {
        this.telemetry = telemetry;
        this.span = span;
        this.context = parent.with(span);
    }

    /** Lowercase hex trace id: agentwatch's run id. */
    public final String traceId() {
        return span.getSpanContext().getTraceId();
    }

    /** Lowercase hex span id: agentwatch's step id. */
    public final String spanId() {
        return span.getSpanContext().getSpanId();
    }

    /** The context this span was started in, with this span as the active one: parent for further spans. */
    public final Context context() {
        return context;
    }

    /**
     * Records a judge's verdict on this step as a {@code gen_ai.evaluation.result} event.
     *
     * @param name  what was evaluated ({@code gen_ai.evaluation.name}), e.g. {@code correctness}
     * @param score the judge's score ({@code gen_ai.evaluation.score.value})
     * @param label the verdict ({@code gen_ai.evaluation.score.label}), low cardinality, e.g. {@code pass}
     */
    public final void evaluation(String name, double score, String label) {
        evaluation(name, score, label, "");
    }

    /** As {@link #evaluation(String, double, String)}, with the judge's explanation, sent only when content is captured. */
    public final void evaluation(String name, double score, String label, String explanation) {
        AgentTelemetry.requireText(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(explanation, "explanation");
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("evaluation score must be finite, got " + score);
        }
        AttributesBuilder attributes = Attributes.builder()
                .put(GenAiAttributes.EVALUATION_NAME, name)
                .put(GenAiAttributes.EVALUATION_SCORE_VALUE, score);
        if (!label.isBlank()) {
            attributes.put(GenAiAttributes.EVALUATION_SCORE_LABEL, label);
        }
        if (telemetry.capturesContent() && !explanation.isBlank()) {
            attributes.put(GenAiAttributes.EVALUATION_EXPLANATION, explanation);
        }
        event(GenAiAttributes.EVALUATION_EVENT, attributes.build());
    }

    /**
     * Marks this step failed by {@code error}: ERROR status with the exception's message,
     * {@code error.type} = its class name, and an {@code exception} event with type, message and
     * stack trace.
     */
    public final void fail(Throwable error) {
        Objects.requireNonNull(error, "error");
        String type = error.getClass().getName();
        String message = Objects.requireNonNullElse(error.getMessage(), "");
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        event(GenAiAttributes.EXCEPTION_EVENT, Attributes.of(
                GenAiAttributes.EXCEPTION_TYPE, type,
                GenAiAttributes.EXCEPTION_MESSAGE, message,
                GenAiAttributes.EXCEPTION_STACKTRACE, trace.toString()));
        span.setAttribute(GenAiAttributes.ERROR_TYPE, type);
        span.setStatus(StatusCode.ERROR, message);
    }

    /**
     * Marks this step failed without an exception at hand.
     *
     * @param errorType   low-cardinality error id ({@code error.type}): a provider error code,
     *                    an exception class name, {@code timeout}, ...
     * @param description short human description (the span status message)
     */
    public final void fail(String errorType, String description) {
        AgentTelemetry.requireText(errorType, "errorType");
        Objects.requireNonNull(description, "description");
        span.setAttribute(GenAiAttributes.ERROR_TYPE, errorType);
        span.setStatus(StatusCode.ERROR, description);
    }

    /** Ends the span now (by the configured clock, else the SDK's). Idempotent. */
    public final void end() {
        if (ended) {
            return;
        }
        ended = true;
        beforeEnd();
        Instant now = telemetry.now();
        if (now == null) {
            span.end();
        } else {
            span.end(now);
        }
    }

    public final boolean isEnded() {
        return ended;
    }

    /** Same as {@link #end()}. */
    @Override
    public final void close() {
        end();
    }

    /** Last attributes, written just before the span ends. */
    void beforeEnd() {
    }

    final void event(String name, Attributes attributes) {
        Instant now = telemetry.now();
        if (now == null) {
            span.addEvent(name, attributes);
        } else {
            span.addEvent(name, attributes, now);
        }
    }
}
