package dev.agentwatch.alerts;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Severity;
import java.util.Map;

/** Findings for tests, as a detector would emit them. */
final class TestFindings {
    private TestFindings() {
    }

    static Finding runFinding(String fingerprint, String detector, Severity severity, String tenant, String runId,
                              long detectedEpochMillis) {
        return new Finding(fingerprint, detector, severity, tenant, "claims-agent", "2.1.0", runId, "00f067aa0ba902b7",
                "CLAIM-1001", detector + " on run " + runId, detectedEpochMillis * 1_000_000L, detectedEpochMillis,
                Map.of("tool", "check_coverage", "error_type", "TimeoutException"), Map.of("team", "claims"));
    }

    static Finding agentFinding(String fingerprint, String detector, Severity severity, String tenant,
                                long detectedEpochMillis, Map<String, String> evidence) {
        return new Finding(fingerprint, detector, severity, tenant, "claims-agent", "2.1.0", "", "", "",
                detector + " for claims-agent", detectedEpochMillis * 1_000_000L, detectedEpochMillis, evidence, Map.of());
    }

    /** The finding's resolution, as the detectors send it ({@link Finding#resolvedAt}). */
    static Finding resolved(Finding finding) {
        return finding.resolvedAt(finding.detectedEpochMillis(), Map.of());
    }
}
