package dev.agentwatch.detectors.detect;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Severity;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Truncated or empty model output: an LLM step that stopped on its token limit (finish reason
 * {@code length}, {@code max_tokens}, ...) raises {@code truncated_output}; one that completed
 * with an empty completion and no tool call raises {@code empty_output}. Content that was not
 * captured at all ({@code outputHash} empty) is never called empty.
 */
public final class OutputDetector implements RunDetector {
    public static final String TRUNCATED = "truncated_output";
    public static final String EMPTY = "empty_output";
    private static final Set<String> LENGTH_REASONS = Set.of("length", "max_tokens", "max_output_tokens",
            "model_length", "token_limit");
    private static final Set<String> NOT_A_COMPLETION = Set.of("tool_calls", "tool_call", "tool_use", "function_call",
            "content_filter", "error");

    @Override
    public String name() {
        return TRUNCATED;
    }

    @Override
    public List<Finding> inspect(RunTrace trace) {
        List<Finding> findings = new ArrayList<>();
        for (Step step : trace.steps()) {
            if (step.kind() != StepKind.LLM || step.failed()) {
                continue;
            }
            String reason = step.finishReason().toLowerCase(Locale.ROOT);
            if (LENGTH_REASONS.contains(reason)) {
                findings.add(RunFindings.of(TRUNCATED, Severity.WARNING, trace, step.stepId(), "",
                        "model output of " + step.name() + " was cut at its token limit", step.endEpochNanos(),
                        Map.of("finish_reason", step.finishReason(), "output_tokens",
                                Long.toString(step.tokens().outputTokens()), "model", step.model())));
            } else if (!step.outputHash().isEmpty() && step.outputChars() == 0 && step.requestedToolCalls().isEmpty()
                    && !NOT_A_COMPLETION.contains(reason)) {
                findings.add(RunFindings.of(EMPTY, Severity.WARNING, trace, step.stepId(), "",
                        "model " + step.name() + " returned an empty completion", step.endEpochNanos(),
                        Map.of("finish_reason", step.finishReason(), "output_tokens",
                                Long.toString(step.tokens().outputTokens()), "model", step.model())));
            }
        }
        return findings;
    }
}
