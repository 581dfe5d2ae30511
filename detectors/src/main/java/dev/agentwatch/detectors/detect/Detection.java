package dev.agentwatch.detectors.detect;

import dev.agentwatch.model.Finding;
import java.util.List;
import java.util.Objects;

/** What a {@link Detector} returns: its next state and the findings of this event (often none). */
public record Detection<S>(S state, List<Finding> findings) {
    public Detection {
        Objects.requireNonNull(state, "state");
        findings = List.copyOf(findings);
    }

    public static <S> Detection<S> of(S state, List<Finding> findings) {
        return new Detection<>(state, findings);
    }

    public static <S> Detection<S> nothing(S state) {
        return new Detection<>(state, List.of());
    }
}
