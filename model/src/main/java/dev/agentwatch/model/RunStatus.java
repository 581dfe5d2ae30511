package dev.agentwatch.model;

/** How a run ended, as far as its spans tell. */
public enum RunStatus {
    /** The root span ended without error. */
    OK,
    /** The root span ended with status ERROR. */
    ERROR,
    /** No root span arrived within the inactivity timeout. */
    UNFINISHED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
