package dev.agentwatch.demo;

import java.util.Objects;

/**
 * What the LLM judge said about a finished run: its confidence that the run's decision is right,
 * and {@code pass} or {@code fail}. Downstream routing sends low-confidence runs to review and a
 * sample of confident approvals to audit; the fleet only reports the verdict.
 *
 * @param score confidence in 0..1
 * @param label {@code pass} or {@code fail}
 */
public record JudgeVerdict(double score, String label) {
    /** The evaluation name the judge's verdicts carry. */
    public static final String EVALUATION_NAME = "decision_correctness";
    /** Below this score the judge is not confident. */
    public static final double CONFIDENT = 0.7;

    public JudgeVerdict {
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("judge score must be within 0..1, got " + score);
        }
        Objects.requireNonNull(label, "label");
    }

    public boolean confident() {
        return score >= CONFIDENT;
    }
}
