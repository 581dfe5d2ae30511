package dev.agentwatch.alerts;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Severity;
import java.util.HashMap;
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

    static Finding resolved(Finding finding) {
        Map<String, String> evidence = new HashMap<>(finding.evidence());
        evidence.put(AlertFactory.STATE_EVIDENCE, AlertFactory.RESOLVED_STATE);
        return new Finding(finding.fingerprint(), finding.detector(), finding.severity(), finding.tenant(), finding.agentName(),
                finding.agentVersion(), finding.runId(), finding.stepId(), finding.subjectId(), finding.summary() + " (cleared)",
                finding.eventEpochNanos(), finding.detectedEpochMillis(), evidence, finding.labels());
    }
}
