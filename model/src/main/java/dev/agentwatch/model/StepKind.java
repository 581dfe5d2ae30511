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

    /** Lower-case name as stored in ClickHouse and shown on dashboards. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
