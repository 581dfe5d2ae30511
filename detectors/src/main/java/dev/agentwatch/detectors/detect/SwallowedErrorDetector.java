package dev.agentwatch.detectors.detect;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunStatus;
import dev.agentwatch.model.Severity;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Swallowed errors: a tool or LLM step failed (status ERROR, a recorded exception, or tool output
 * that reads like an error) inside a run that ended OK or claims success. A failure that a later
 * successful step of the same kind and name recovered from (a retry) was handled, not swallowed.
 * A run that ended in ERROR surfaced its failure; an unfinished run without a claim is the
 * unfinished-run detector's business.
 */
public final class SwallowedErrorDetector implements RunDetector {
    public static final String NAME = "swallowed_error";

    /**
     * @param failureClaims claimed outcomes that admit failure (compared case-insensitively); any
     *                      other non-empty claim counts as a claim of success
     */
    public record Config(Set<String> failureClaims) {
        public Config {
            failureClaims = failureClaims.stream().map(c -> c.strip().toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
        }

        public static Config defaults() {
            return new Config(Set.of("failed", "failure", "error", "escalated", "handed_off", "aborted", "unknown"));
        }
    }

    private final Config config;

    public SwallowedErrorDetector(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Disproved when a successful retry arrives, or the root reporting the error. */
    @Override
    public boolean lateStepsCanDisprove() {
        return true;
    }

    @Override
    public List<Finding> inspect(RunTrace trace) {
        Run run = trace.run();
        boolean claimsSuccess = !run.claimedOutcome().isEmpty()
                && !config.failureClaims().contains(run.claimedOutcome().toLowerCase(Locale.ROOT));
        if (run.status() != RunStatus.OK && !claimsSuccess) {
            return List.of();
        }
        List<Step> steps = trace.workSteps();
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (!(step.kind() == StepKind.TOOL || step.kind() == StepKind.LLM)) {
                continue;
            }
            String how = failure(step);
            if (how.isEmpty() || recoveredLater(steps, i)) {
                continue;
            }
            Map<String, String> evidence = new LinkedHashMap<>();
            evidence.put("step_kind", step.kind().label());
            evidence.put("step_name", step.name());
            evidence.put("failure", how);
            evidence.put("run_status", run.status().label());
            evidence.put("claimed_outcome", run.claimedOutcome());
            if (!step.errorType().isEmpty()) {
                evidence.put("error_type", step.errorType());
            }
            if (!step.errorMessage().isEmpty()) {
                evidence.put("error_message", step.errorMessage());
            }
            String verdict = run.status() == RunStatus.OK ? "the run ended OK" : "the run claims '" + run.claimedOutcome() + "'";
            findings.add(RunFindings.of(NAME, Severity.ERROR, trace, step.stepId(), "",
                    step.kind().label() + " " + step.name() + " failed (" + how + ") but " + verdict,
                    step.endEpochNanos(), evidence));
        }
        return findings;
    }

    /** How the step failed, empty if it did not. */
    private static String failure(Step step) {
        if (step.failed()) {
            return "status_error";
        }
        if (!step.errorType().isEmpty() || !step.errorMessage().isEmpty()) {
            return "exception_recorded";
        }
        if (step.kind() == StepKind.TOOL && step.toolOutputLooksLikeError()) {
            return "error_shaped_output";
        }
        return "";
    }

    private static boolean recoveredLater(List<Step> steps, int failedIndex) {
        Step failed = steps.get(failedIndex);
        for (int j = failedIndex + 1; j < steps.size(); j++) {
            Step later = steps.get(j);
            if (later.kind() == failed.kind() && later.name().equals(failed.name()) && failure(later).isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
