package dev.agentwatch.model;

/** Ground truth's verdict on what a run did. */
public enum Verdict {
    CORRECT,
    INCORRECT,
    PARTIAL,
    /** The outcome carries only an actual value, to be compared with the run's claim. */
    UNSPECIFIED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
