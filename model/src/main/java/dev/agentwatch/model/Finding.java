package dev.agentwatch.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a detector concluded, with the evidence that made the call.
 *
 * <p>A finding with evidence {@code state=resolved} ({@link #announcesResolution}) says that the
 * condition with its fingerprint no longer holds: the alerts service resolves the alert, and in
 * ClickHouse it replaces the firing row under {@code FINAL} (a later {@code detected_at}), which
 * queries leave out with {@code NOT resolved}.
 *
 * @param fingerprint          stable id: the same condition on the same run (or the same
 *                             agent-level condition in the same window) always has the same
 *                             fingerprint, so re-deliveries and re-evaluations deduplicate
 * @param detector             detector name, e.g. {@code swallowed_error}
 * @param severity             severity
 * @param tenant               tenant
 * @param agentName            agent, empty when not known
 * @param agentVersion         agent version, empty when not known
 * @param runId                run, empty for agent-level findings (rates, spikes)
 * @param stepId               step, empty for run-level findings
 * @param subjectId            business key of the run, empty when none
 * @param summary              one line for a human, no prompt or completion text
 * @param eventEpochNanos      event time of what was detected
 * @param detectedEpochMillis  when the detector concluded (processing time, for time-to-detection)
 * @param evidence             the numbers and names behind the call, e.g. {@code steps=14, budget=10}
 * @param labels               extra routing labels, e.g. {@code team=claims}
 */
public record Finding(
        String fingerprint,
        String detector,
        Severity severity,
        String tenant,
        String agentName,
        String agentVersion,
        String runId,
        String stepId,
        String subjectId,
        String summary,
        long eventEpochNanos,
        long detectedEpochMillis,
        Map<String, String> evidence,
        Map<String, String> labels) {
    /** Evidence key and value of a resolution (the contract with the alerts service). */
    public static final String STATE_EVIDENCE = "state";
    public static final String RESOLVED_STATE = "resolved";

    public Finding {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(summary, "summary");
        evidence = Map.copyOf(evidence);
        labels = Map.copyOf(labels);
        if (fingerprint.isEmpty() || detector.isEmpty()) {
            throw new IllegalArgumentException("fingerprint and detector are required");
        }
    }

    /** This finding as concluded at {@code epochMillis} (processing time); detectors leave it 0. */
    public Finding detectedAt(long epochMillis) {
        return new Finding(fingerprint, detector, severity, tenant, agentName, agentVersion, runId, stepId, subjectId,
                summary, eventEpochNanos, epochMillis, evidence, labels);
    }

    /** Whether this finding announces that its condition no longer holds. */
    public boolean announcesResolution() {
        return RESOLVED_STATE.equals(evidence.get(STATE_EVIDENCE));
    }

    /**
     * This finding's resolution, concluded at {@code epochMillis}: the same fingerprint, tenant,
     * agent, labels and event time (so it routes to the same alert and replaces the same row),
     * with {@code why} and {@code state=resolved} added to the evidence.
     */
    public Finding resolvedAt(long epochMillis, Map<String, String> why) {
        Map<String, String> resolvedEvidence = new LinkedHashMap<>(evidence);
        resolvedEvidence.putAll(why);
        resolvedEvidence.put(STATE_EVIDENCE, RESOLVED_STATE);
        return new Finding(fingerprint, detector, severity, tenant, agentName, agentVersion, runId, stepId, subjectId,
                summary, eventEpochNanos, epochMillis, resolvedEvidence, labels);
    }
}
