package dev.agentwatch.demo;

import java.util.Objects;

/**
 * The part of a finding the report needs.
 *
 * @param detector         detector name
 * @param runId            run, empty for agent-level findings
 * @param detectedAtMillis wall-clock time of detection
 */
public record DetectedFinding(String detector, String runId, long detectedAtMillis) {
    public DetectedFinding {
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(runId, "runId");
        if (detector.isBlank()) {
            throw new IllegalArgumentException("a finding names its detector");
        }
    }
}
