package dev.agentwatch.detectors.detect;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.Severity;
import java.util.Map;

/** Builds findings about one run, with a fingerprint of (tenant, run, detector, step, rule). */
final class RunFindings {
    private RunFindings() {
    }

    static Finding of(String detector, Severity severity, RunTrace trace, String stepId, String rule, String summary,
                      long eventEpochNanos, Map<String, String> evidence) {
        Run run = trace.run();
        return new Finding(Fingerprint.of(run.tenant(), run.runId(), detector, stepId, rule), detector, severity,
                run.tenant(), run.agentName(), run.agentVersion(), run.runId(), stepId, run.subjectId(), summary,
                eventEpochNanos, 0L, evidence, run.service().isEmpty() ? Map.of() : Map.of("service", run.service()));
    }
}
