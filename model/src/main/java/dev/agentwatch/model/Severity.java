package dev.agentwatch.model;

/** How urgent a finding is, in increasing order; maps onto PagerDuty's severities. */
public enum Severity {
    INFO,
    WARNING,
    ERROR,
    CRITICAL;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
