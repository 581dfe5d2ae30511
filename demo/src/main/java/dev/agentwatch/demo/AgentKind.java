package dev.agentwatch.demo;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The agents of the simulated fleet, each with its workflow, service and the failures it can have.
 */
public enum AgentKind {
    /** Insurance claims: coverage check, medical necessity, risk, decision. */
    CLAIMS("claims-agent", "claims-service", "3.2.0", EnumSet.complementOf(EnumSet.of(FailureKind.POLICY_VIOLATION))),
    /** Customer support with order, knowledge-base and refund tools; hands complaints to humans. */
    SUPPORT("support-agent", "support-service", "1.8.4",
            EnumSet.complementOf(EnumSet.of(FailureKind.POLICY_VIOLATION, FailureKind.MODEL_ROLLOUT_REGRESSION))),
    /** Read-only SRE investigator: metrics, logs, deployments; must never change anything. */
    SRE("sre-agent", "sre-service", "0.9.1",
            EnumSet.complementOf(EnumSet.of(FailureKind.MODEL_ROLLOUT_REGRESSION, FailureKind.MISSING_STEP)));

    private final String agentName;
    private final String serviceName;
    private final String version;
    private final Set<FailureKind> possibleFailures;

    AgentKind(String agentName, String serviceName, String version, Set<FailureKind> possibleFailures) {
        this.agentName = agentName;
        this.serviceName = serviceName;
        this.version = version;
        this.possibleFailures = Set.copyOf(possibleFailures);
    }

    public String agentName() {
        return agentName;
    }

    public String serviceName() {
        return serviceName;
    }

    public String version() {
        return version;
    }

    public boolean canHave(FailureKind kind) {
        return possibleFailures.contains(kind);
    }

    /** {@code claims}, {@code support}, {@code sre}, or the agent name. */
    public static AgentKind parse(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(a -> a.name().toLowerCase(Locale.ROOT).equals(wanted) || a.agentName.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown agent '" + name + "'; known: claims, support, sre"));
    }
}
