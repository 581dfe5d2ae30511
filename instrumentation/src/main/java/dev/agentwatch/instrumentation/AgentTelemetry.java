package dev.agentwatch.instrumentation;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Entry point: records agent runs, model calls, tool calls, human hand-offs and judge verdicts
 * as OpenTelemetry spans that follow the OTel GenAI semantic conventions plus agentwatch's
 * {@code agentwatch.*} attributes. Depends on the OpenTelemetry API only: bring your own SDK
 * (or Java agent) and exporter.
 *
 * <pre>{@code
 * AgentTelemetry telemetry = AgentTelemetry.create(openTelemetry);
 * try (AgentRun run = telemetry.run("claims-agent").version("3.2.0").subjectId(claimId).start()) {
 *     try (LlmCall call = run.llmCall("openai", "gpt-4.1-mini").start()) {
 *         call.usage(Usage.of(1200, 85)).finishReasons("tool_calls")
 *             .requestedToolCall("call_1", "lookup_policy", Map.of("policy_id", policyId));
 *     }
 *     try (ToolCall tool = run.toolCall("lookup_policy").callId("call_1")
 *             .arguments(Map.of("policy_id", policyId)).start()) {
 *         ...
 *     }
 *     run.claimOutcome("approved");
 * }
 * }</pre>
 *
 * <p><b>Content.</b> By default no prompt, completion, tool argument or tool result text leaves
 * the process: tool arguments are replaced by a keyed hash ({@code redacted:hmac-sha256:...}) so
 * repeated identical calls stay recognisable. {@link Builder#captureContent(boolean)} opts in to
 * sending arguments and results as the conventions' opt-in attributes.
 *
 * <p><b>Time.</b> Without a clock, the SDK stamps spans and events itself. With
 * {@link Builder#clock(Clock)} every start, end and event time is read from that clock and set
 * explicitly; simulations and replays use this.
 *
 * <p>Immutable and thread-safe; one instance per process (or per agent) is enough. The handles
 * it creates ({@link AgentRun}, {@link LlmCall}, ...) are meant for one thread at a time.
 */
public final class AgentTelemetry {
    /** Instrumentation scope name of the spans this module creates. */
    public static final String INSTRUMENTATION_NAME = "dev.agentwatch.instrumentation";

    private final Tracer tracer;
    private final Clock clock;
    private final boolean captureContent;
    private final ArgumentsDigest digest;

    private AgentTelemetry(Builder builder) {
        this.tracer = builder.openTelemetry.getTracer(INSTRUMENTATION_NAME, builder.instrumentationVersion);
        this.clock = builder.clock;
        this.captureContent = builder.captureContent;
        this.digest = builder.argumentsHashKey == null ? ArgumentsDigest.withRandomKey()
                : ArgumentsDigest.withKey(builder.argumentsHashKey);
    }

    /** Defaults: content not captured, SDK clock, a random arguments-hash key. */
    public static AgentTelemetry create(OpenTelemetry openTelemetry) {
        return builder(openTelemetry).build();
    }

    public static Builder builder(OpenTelemetry openTelemetry) {
        return new Builder(openTelemetry);
    }

    /** Starts describing a run of {@code agentName} ({@code gen_ai.agent.name}); call {@code start()} on it. */
    public AgentRun.Builder run(String agentName) {
        return new AgentRun.Builder(this, requireText(agentName, "agentName"));
    }

    /** Whether argument and result text is sent (opt-in). */
    public boolean capturesContent() {
        return captureContent;
    }

    SpanBuilder spanBuilder(String name) {
        SpanBuilder builder = tracer.spanBuilder(name);
        if (clock != null) {
            builder.setStartTimestamp(clock.instant());
        }
        return builder;
    }

    /** The configured clock's time, or null when the SDK should stamp the time itself. */
    Instant now() {
        return clock == null ? null : clock.instant();
    }

    String redactedArguments(Object arguments) {
        return digest.redacted(arguments);
    }

    static String requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /** Settings of an {@link AgentTelemetry}; every one has a safe default. */
    public static final class Builder {
        private final OpenTelemetry openTelemetry;
        private Clock clock;
        private boolean captureContent;
        private byte[] argumentsHashKey;
        private String instrumentationVersion = "0.1.0";

        private Builder(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
        }

        /** Read every span and event time from {@code clock} (default: let the SDK stamp them). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Send tool arguments and results ({@code gen_ai.tool.call.arguments/result}) and judge
         * explanations. Default false: they may hold personal data.
         */
        public Builder captureContent(boolean captureContent) {
            this.captureContent = captureContent;
            return this;
        }

        /**
         * Key of the hash that stands in for tool arguments when content is not captured, at
         * least 16 bytes. Default: random per instance, so hashes compare within a process only.
         */
        public Builder argumentsHashKey(byte[] key) {
            this.argumentsHashKey = Objects.requireNonNull(key, "key").clone();
            ArgumentsDigest.withKey(argumentsHashKey);
            return this;
        }

        /** Version reported in the instrumentation scope. */
        public Builder instrumentationVersion(String version) {
            this.instrumentationVersion = requireText(version, "version");
            return this;
        }

        public AgentTelemetry build() {
            return new AgentTelemetry(this);
        }
    }
}
