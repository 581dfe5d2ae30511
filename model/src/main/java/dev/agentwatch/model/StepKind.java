package dev.agentwatch.model;

/** What one unit of agent work was, whatever convention the span used to say it. */
public enum StepKind {
    LLM,
    TOOL,
    AGENT,
    RETRIEVAL,
    EMBEDDING,
    WORKFLOW,
    HANDOFF,
    EVALUATION,
    OTHER;

    // Once, not per call: it is written for every step, and lower-casing it showed in the sinks' profile.
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** Lower-case name as stored in ClickHouse and shown on dashboards. */
    public String label() {
        return label;
    }
}
