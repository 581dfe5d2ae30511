package dev.agentwatch.model;

import java.util.Objects;

/**
 * A judge's verdict on a step or run, from a {@code gen_ai.evaluation.result} span event
 * (or an evaluation span).
 *
 * @param name  what was evaluated ({@code gen_ai.evaluation.name}), e.g. "correctness"
 * @param score numeric score ({@code gen_ai.evaluation.score.value}), NaN when absent
 * @param label verdict label ({@code gen_ai.evaluation.score.label}), empty when absent
 */
public record Evaluation(String name, double score, String label) {
    public Evaluation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        name = Step.capped(name);
        label = Step.capped(label);
    }

    public boolean hasScore() {
        return !Double.isNaN(score);
    }
}
