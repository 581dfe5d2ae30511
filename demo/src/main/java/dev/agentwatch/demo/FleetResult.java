package dev.agentwatch.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a fleet run did.
 *
 * @param runs              runs emitted, cooldown runs included
 * @param cooldownRuns      of those, clean runs emitted after the configured duration (no outcomes)
 * @param spans             spans handed to the exporter
 * @param runsByFailure     runs per failure label ({@code none} for clean runs)
 * @param outcomesScheduled outcomes due to be posted
 * @param outcomesPosted    outcomes the API accepted
 * @param outcomesFailed    outcomes refused or given up on
 * @param simFirst          simulated start of the first run
 * @param simLast           simulated start of the last run
 * @param rolloutAt         simulated time the claims agent's new model went live
 * @param wallElapsed       wall-clock time the fleet took, draining included
 */
public record FleetResult(long runs, long cooldownRuns, long spans, Map<String, Long> runsByFailure, long outcomesScheduled,
                          long outcomesPosted, long outcomesFailed, Instant simFirst, Instant simLast,
                          Instant rolloutAt, Duration wallElapsed) {
    public FleetResult {
        runsByFailure = Map.copyOf(runsByFailure);
        Objects.requireNonNull(simFirst, "simFirst");
        Objects.requireNonNull(simLast, "simLast");
        Objects.requireNonNull(rolloutAt, "rolloutAt");
        Objects.requireNonNull(wallElapsed, "wallElapsed");
    }

    /** A few lines for a terminal. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("fleet: %d runs (%d of them clean cooldown runs), %d spans in %.1f s wall;"
                + " simulated %s .. %s (rollout at %s)%n", runs, cooldownRuns, spans, wallElapsed.toMillis() / 1000.0,
                simFirst, simLast, rolloutAt));
        out.append(String.format("outcomes: %d scheduled, %d posted, %d failed%n", outcomesScheduled, outcomesPosted,
                outcomesFailed));
        new TreeMap<>(runsByFailure).forEach((k, v) -> out.append(String.format("  %-26s %6d%n", k, v)));
        return out.toString();
    }
}
