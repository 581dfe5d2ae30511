package dev.agentwatch.model;

/** How urgent a finding is, in increasing order; maps onto PagerDuty's severities. */
public enum Severity {
    INFO,
    WARNING,
    ERROR,
    CRITICAL;

    // Once, not per call: it is written for every finding, and lower-casing it showed in the sinks' profile.
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    public String label() {
        return label;
    }
}
