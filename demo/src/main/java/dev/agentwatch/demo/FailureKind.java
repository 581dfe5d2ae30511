package dev.agentwatch.demo;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The failures the fleet injects, and which detectors' findings count for each: this enum is the
 * one kind → detector table the report uses. {@code detectedBy} are the detectors whose finding on
 * a labelled run counts as catching it (spellings of both the issue and the detectors module are
 * listed where they differ); {@code alsoExplains} are detectors that may fairly fire on such a run
 * as a side effect (a loop also blows the step budget) without counting as a false positive.
 */
public enum FailureKind {
    /** A tool fails, nothing retries it, and the run still ends OK and claims success. */
    SWALLOWED_TOOL_ERROR(List.of("swallowed_error"), List.of("error_rate_spike")),
    /** The same tool is called again and again with the same arguments. */
    LOOP(List.of("loop"), List.of("step_budget", "model_call_budget", "token_outlier", "cost_outlier", "latency_outlier")),
    /** The run takes far more steps and model calls than its workflow needs. */
    STEP_BUDGET_OVERRUN(List.of("step_budget", "model_call_budget"), List.of("token_outlier", "cost_outlier", "latency_outlier")),
    /** The root span never ends (the agent hung or crashed mid-run). */
    UNFINISHED_RUN(List.of("unfinished_run"), List.of("missing_step", "missing_tool_step")),
    /** One step takes tens of times its usual duration. */
    LATENCY_SPIKE(List.of("latency_outlier"), List.of()),
    /** One model call uses tens of times its usual tokens. */
    COST_SPIKE(List.of("cost_outlier", "token_outlier"), List.of("latency_outlier")),
    /** A model answer is cut off at the token limit (finish reason {@code length}). */
    TRUNCATED_OUTPUT(List.of("truncated_output"), List.of("empty_output")),
    /** The read-only SRE agent uses a write tool. */
    POLICY_VIOLATION(List.of("policy_violation", "tool_policy"), List.of()),
    /** The model asks for a tool call that never runs; the workflow skips a required stage. */
    MISSING_STEP(List.of("missing_step", "missing_tool_step"), List.of()),
    /** A wrong decision on the new model version after the rollout: only delayed outcomes reveal it. */
    MODEL_ROLLOUT_REGRESSION(List.of("silent_failure", "judge_false_approval"), List.of("error_rate_spike")),
    /** A plain wrong decision: the run looks fine, the delayed outcome says otherwise. */
    WRONG_DECISION(List.of("silent_failure", "judge_false_approval"), List.of()),
    /**
     * The run is right but the LLM judge fails it; the human review it is sent to says it was
     * right. A failure of the judge, not of the agent: with this kind at rate 0 the judge never
     * doubts a right run.
     */
    JUDGE_FALSE_REJECTION(List.of("judge_false_rejection"), List.of());

    private final Set<String> detectedBy;
    private final Set<String> alsoExplains;

    FailureKind(List<String> detectedBy, List<String> alsoExplains) {
        this.detectedBy = Set.copyOf(detectedBy);
        this.alsoExplains = Set.copyOf(alsoExplains);
    }

    /** Lower-case name used in labels, files, tables and flags, e.g. {@code swallowed_tool_error}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether only delayed outcomes can reveal this failure (the spans look fine): its time to
     * detection includes the outcome's delay and is best read in simulated time.
     */
    public boolean revealedByOutcome() {
        return this == MODEL_ROLLOUT_REGRESSION || this == WRONG_DECISION || this == JUDGE_FALSE_REJECTION;
    }

    /** Detectors whose finding on a run with this label counts as detection. */
    public Set<String> detectedBy() {
        return detectedBy;
    }

    /** Detectors whose finding on a run with this label is explained by it (detection or side effect). */
    public boolean explains(String detector) {
        return detectedBy.contains(detector) || alsoExplains.contains(detector);
    }

    /** The kind with this {@link #label()}. */
    public static FailureKind ofLabel(String label) {
        String wanted = label.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(k -> k.label().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown failure kind '" + label + "'; known: "
                        + Arrays.stream(values()).map(FailureKind::label).toList()));
    }
}
