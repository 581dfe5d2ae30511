package dev.agentwatch.model;

/** How a run ended, as far as its spans tell. */
public enum RunStatus {
    /** The root span ended without error. */
    OK,
    /** The root span ended with status ERROR. */
    ERROR,
    /** No root span arrived within the inactivity timeout. */
    UNFINISHED;

    // Once, not per call: it is written for every run, and lower-casing it showed in the sinks' profile.
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    public String label() {
        return label;
    }
}
