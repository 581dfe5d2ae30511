package dev.agentwatch.model;

/** The span's status, as OTLP defines it. */
public enum StepStatus {
    UNSET,
    OK,
    ERROR;

    // Once, not per call: it is written for every step, and lower-casing it showed in the sinks' profile.
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    public String label() {
        return label;
    }
}
