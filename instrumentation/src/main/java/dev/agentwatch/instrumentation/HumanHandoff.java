package dev.agentwatch.instrumentation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;

/**
 * The run handing its case to a human (a review queue, an on-call engineer): a
 * {@code handoff {target}} span marked {@code agentwatch.step.kind=handoff}, which no public
 * convention names yet. End it when the hand-off is made, not when the human finishes.
 */
public final class HumanHandoff extends AgentSpan {

    private HumanHandoff(AgentTelemetry telemetry, Span span, AgentRun run) {
        super(telemetry, span, run.context());
    }

    /** A hand-off about to start. */
    public static final class Builder {
        private final AgentRun run;
        private final String target;

        Builder(AgentRun run, String target) {
            this.run = run;
            this.target = target;
        }

        public HumanHandoff start() {
            Span span = run.childSpan("handoff " + target, SpanKind.INTERNAL)
                    .setAttribute(GenAiAttributes.OPERATION_NAME, "handoff")
                    .setAttribute(GenAiAttributes.AGENTWATCH_STEP_KIND, "handoff")
                    .setAttribute(GenAiAttributes.AGENTWATCH_HANDOFF_TARGET, target)
                    .startSpan();
            return new HumanHandoff(run.telemetry, span, run);
        }
    }
}
