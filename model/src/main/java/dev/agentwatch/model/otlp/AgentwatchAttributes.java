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

    private AgentwatchAttributes() {
    }
}
