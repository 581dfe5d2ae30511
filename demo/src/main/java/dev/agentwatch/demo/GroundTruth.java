package dev.agentwatch.demo;

import java.time.Instant;
import java.util.Objects;

/**
 * The delayed truth about a run, posted to the outcome API when simulated time reaches
 * {@code observedAt}.
 *
 * @param verdict     {@code correct}, {@code incorrect} or {@code partial}
 * @param actualValue what really happened, e.g. {@code denied}
 * @param source      {@code human_review}, {@code customer}, {@code downstream_system} or {@code judge}
 * @param observedAt  simulated time the truth became known
 * @param reason      short reason, no personal data
 * @param bySubject   true when the source knows only the business subject, not the run
 */
public record GroundTruth(String verdict, String actualValue, String source, Instant observedAt, String reason,
                          boolean bySubject) {
    public GroundTruth {
        Objects.requireNonNull(verdict, "verdict");
        if (!verdict.equals("correct") && !verdict.equals("incorrect") && !verdict.equals("partial")) {
            throw new IllegalArgumentException("verdict must be correct, incorrect or partial, got " + verdict);
        }
        Objects.requireNonNull(actualValue, "actualValue");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(observedAt, "observedAt");
        Objects.requireNonNull(reason, "reason");
    }
}
