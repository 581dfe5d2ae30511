package dev.agentwatch.model.otlp;

/**
 * Span attributes that agentwatch defines on top of the public conventions. Agents (or the
 * code calling them) set these to tell agentwatch what no convention says. The mapper reads them
 * off each span as sent; the run assembler later carries run-wide values (subject, claimed
 * outcome, agent name and version) from whichever span of the run has them to the whole run.
 *
 * <p>For {@link #SUBJECT_ID}, {@link #OUTCOME_CLAIMED}, {@link #AGENT_NAME} and
 * {@link #AGENT_VERSION} the mapper also accepts the same key inside OpenInference's
 * {@code metadata} JSON attribute and as {@code traceloop.association.properties.<key>}, because
 * those are how OpenInference and OpenLLMetry users attach their own context to every span.
 */
public final class AgentwatchAttributes {

    /**
     * Business key the run acted on (a claim id, a ticket id), string. May sit on any span of the
     * run; outcomes can later name the subject instead of the trace.
     */
    public static final String SUBJECT_ID = "agentwatch.subject.id";

    /**
     * What the agent or its caller says the run achieved (e.g. {@code refund_issued},
     * {@code resolved}), string, low cardinality. May sit on any span of the run.
     */
    public static final String OUTCOME_CLAIMED = "agentwatch.outcome.claimed";

    /**
     * Explicit step kind, overriding every convention: one of {@code llm}, {@code tool},
     * {@code agent}, {@code retrieval}, {@code embedding}, {@code workflow}, {@code handoff},
     * {@code evaluation}, {@code other} (case-insensitive; other values are ignored).
     * {@code handoff} marks a hand-off to a human, which no public convention names.
     */
    public static final String STEP_KIND = "agentwatch.step.kind";

    /** Agent name, used when {@code gen_ai.agent.name} is absent. Span or resource attribute. */
    public static final String AGENT_NAME = "agentwatch.agent.name";

    /** Agent version, used when {@code gen_ai.agent.version} is absent. Span or resource attribute. */
    public static final String AGENT_VERSION = "agentwatch.agent.version";

    // ---- set by the collector when it removes or redacts content (see SpanContentFilter)

    /**
     * {@code true} on a span whose content the collector removed or redacted: the
     * {@code agentwatch.content.*} attributes below then stand for it, and the mapper reads the
     * content fields of the step from them alone (absent = none). Agents do not set these.
     */
    public static final String CONTENT_SUMMARIZED = "agentwatch.content.summarized";

    /** Input (prompt, arguments, query) length in code points, int. */
    public static final String CONTENT_INPUT_CHARS = "agentwatch.content.input_chars";

    /** Output (completion, tool result) length in code points, int. */
    public static final String CONTENT_OUTPUT_CHARS = "agentwatch.content.output_chars";

    /** 16-hex SHA-256 prefix of the output text, absent when the span carried no output. */
    public static final String CONTENT_OUTPUT_HASH = "agentwatch.content.output_hash";

    /** 16-hex SHA-256 prefix of the tool call arguments in canonical JSON form. */
    public static final String CONTENT_TOOL_ARGUMENTS_HASH = "agentwatch.content.tool_arguments_hash";

    /** {@code true} when a tool span's result looked like an error (see the mapper). */
    public static final String CONTENT_TOOL_OUTPUT_ERROR = "agentwatch.content.tool_output_error";

    /**
     * Tool calls the model asked for: an array of maps {@code {id, name, arguments_hash}}; tool
     * names and call ids are not content and stay as sent.
     */
    public static final String CONTENT_TOOL_CALLS = "agentwatch.content.tool_calls";

    /** Finish reasons read from the output messages, string array. */
    public static final String CONTENT_FINISH_REASONS = "agentwatch.content.finish_reasons";

    /** Content-bearing span events removed (v1.27 content events, per-message events), int. */
    public static final String CONTENT_EVENTS_REMOVED = "agentwatch.content.events_removed";

    /**
     * {@code true} when the span carried OpenInference completion-API prompts
     * ({@code llm.prompts.*}), which decide the {@code text_completion} operation.
     */
    public static final String CONTENT_COMPLETION_PROMPTS = "agentwatch.content.completion_prompts";

    private AgentwatchAttributes() {
    }
}
