package dev.agentwatch.instrumentation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Objects;

/**
 * One agent run: the {@code invoke_agent {agent}} span (INTERNAL) that every step of the run
 * hangs under. agentwatch treats one trace as one run, so start runs without an enclosing trace
 * where you can ({@link Builder#parent(Context)} with {@link Context#root()}).
 *
 * <p>The run's agent name and version, conversation id and subject id are copied onto each step
 * started from it, so a run whose root never ends (a crash, a hang) is still attributable.
 * Never made current implicitly: use {@link #makeCurrent()} for auto-instrumented calls
 * (HTTP clients, databases) to nest under the run.
 */
public final class AgentRun extends AgentSpan {
    private final String agentName;
    private final String agentVersion;
    private final String conversationId;
    private String subjectId;

    private AgentRun(Builder builder, Span span, Context parent) {
        super(builder.telemetry, span, parent);
        this.agentName = builder.agentName;
        this.agentVersion = builder.version;
        this.conversationId = builder.conversationId;
        this.subjectId = builder.subjectId;
    }

    /** agentwatch's run id: the trace id. */
    public String runId() {
        return traceId();
    }

    /** Describes a model call of this run; {@code start()} it. */
    public LlmCall.Builder llmCall(String provider, String requestModel) {
        return new LlmCall.Builder(this, AgentTelemetry.requireText(provider, "provider"),
                AgentTelemetry.requireText(requestModel, "requestModel"));
    }

    /** Describes a tool execution of this run; {@code start()} it. */
    public ToolCall.Builder toolCall(String toolName) {
        return new ToolCall.Builder(this, AgentTelemetry.requireText(toolName, "toolName"));
    }

    /** Describes a hand-off of this run to a human ({@code target}: a queue, team or role); {@code start()} it. */
    public HumanHandoff.Builder handoff(String target) {
        return new HumanHandoff.Builder(this, AgentTelemetry.requireText(target, "target"));
    }

    /** Sets the business key the run acts on ({@code agentwatch.subject.id}), if not known at start. */
    public AgentRun subjectId(String subjectId) {
        this.subjectId = AgentTelemetry.requireText(subjectId, "subjectId");
        span.setAttribute(GenAiAttributes.AGENTWATCH_SUBJECT_ID, subjectId);
        return this;
    }

    /**
     * What the run says it achieved ({@code agentwatch.outcome.claimed}), low cardinality, e.g.
     * {@code approved}, {@code refund_issued}, {@code resolved}. Delayed ground truth is later
     * compared with it.
     */
    public AgentRun claimOutcome(String outcome) {
        span.setAttribute(GenAiAttributes.AGENTWATCH_OUTCOME_CLAIMED, AgentTelemetry.requireText(outcome, "outcome"));
        return this;
    }

    /** Makes the run the current span on this thread until the scope closes. */
    public Scope makeCurrent() {
        return context().makeCurrent();
    }

    /** Starts a child span with the run-wide attributes every step carries. */
    SpanBuilder childSpan(String name, SpanKind kind) {
        SpanBuilder builder = telemetry.spanBuilder(name)
                .setParent(context())
                .setSpanKind(kind)
                .setAttribute(GenAiAttributes.AGENTWATCH_AGENT_NAME, agentName);
        if (!agentVersion.isEmpty()) {
            builder.setAttribute(GenAiAttributes.AGENTWATCH_AGENT_VERSION, agentVersion);
        }
        if (!conversationId.isEmpty()) {
            builder.setAttribute(GenAiAttributes.CONVERSATION_ID, conversationId);
        }
        if (subjectId != null) {
            builder.setAttribute(GenAiAttributes.AGENTWATCH_SUBJECT_ID, subjectId);
        }
        return builder;
    }

    /** A run about to start. */
    public static final class Builder {
        private final AgentTelemetry telemetry;
        private final String agentName;
        private String version = "";
        private String agentId = "";
        private String conversationId = "";
        private String subjectId;
        private Context parent;

        Builder(AgentTelemetry telemetry, String agentName) {
            this.telemetry = telemetry;
            this.agentName = agentName;
        }

        /** Deployed version of the agent ({@code gen_ai.agent.version}); regressions are found per version. */
        public Builder version(String version) {
            this.version = AgentTelemetry.requireText(version, "version");
            return this;
        }

        /** Stable id of a hosted agent ({@code gen_ai.agent.id}), if it has one. */
        public Builder agentId(String agentId) {
            this.agentId = AgentTelemetry.requireText(agentId, "agentId");
            return this;
        }

        /** Session or thread id ({@code gen_ai.conversation.id}). */
        public Builder conversationId(String conversationId) {
            this.conversationId = AgentTelemetry.requireText(conversationId, "conversationId");
            return this;
        }

        /** Business key the run acts on, e.g. a claim or ticket id ({@code agentwatch.subject.id}). */
        public Builder subjectId(String subjectId) {
            this.subjectId = AgentTelemetry.requireText(subjectId, "subjectId");
            return this;
        }

        /** Parent context; default {@link Context#current()}. */
        public Builder parent(Context parent) {
            this.parent = Objects.requireNonNull(parent, "parent");
            return this;
        }

        public AgentRun start() {
            Context parentContext = parent == null ? Context.current() : parent;
            SpanBuilder builder = telemetry.spanBuilder("invoke_agent " + agentName)
                    .setParent(parentContext)
                    .setSpanKind(SpanKind.INTERNAL)
                    .setAttribute(GenAiAttributes.OPERATION_NAME, "invoke_agent")
                    .setAttribute(GenAiAttributes.AGENT_NAME, agentName);
            if (!version.isEmpty()) {
                builder.setAttribute(GenAiAttributes.AGENT_VERSION, version);
            }
            if (!agentId.isEmpty()) {
                builder.setAttribute(GenAiAttributes.AGENT_ID, agentId);
            }
            if (!conversationId.isEmpty()) {
                builder.setAttribute(GenAiAttributes.CONVERSATION_ID, conversationId);
            }
            if (subjectId != null) {
                builder.setAttribute(GenAiAttributes.AGENTWATCH_SUBJECT_ID, subjectId);
            }
            return new AgentRun(this, builder.startSpan(), parentContext);
        }
    }
}
