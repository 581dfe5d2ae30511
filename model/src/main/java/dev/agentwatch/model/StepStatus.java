package dev.agentwatch.model;

/** The span's status, as OTLP defines it. */
public enum StepStatus {
    UNSET,
    OK,
    ERROR;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
