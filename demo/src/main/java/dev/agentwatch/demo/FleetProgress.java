package dev.agentwatch.demo;

import java.time.Duration;
import java.util.Objects;

/**
 * A snapshot of a running fleet, for live progress.
 *
 * @param phase             what the fleet is doing
 * @param runs              runs emitted so far, cooldown runs included
 * @param cooldownRuns      of those, clean runs emitted after {@code duration}
 * @param spans             spans handed to the exporter so far
 * @param outcomesScheduled outcomes due to be posted
 * @param outcomesPosted    outcomes the API accepted
 * @param outcomesFailed    outcomes refused or given up on
 * @param elapsed           wall-clock time since the fleet started
 * @param planned           wall-clock time the fleet takes at most: duration plus drain or cooldown
 */
public record FleetProgress(Phase phase, long runs, long cooldownRuns, long spans, long outcomesScheduled,
                            long outcomesPosted, long outcomesFailed, Duration elapsed, Duration planned) {

    /** What the fleet is doing. */
    public enum Phase {
        /** Not started yet. */
        STARTING,
        /** Emitting runs with failures injected and outcomes scheduled. */
        EMITTING,
        /** After {@code duration}: clean traffic while the last outcomes are posted. */
        COOLING_DOWN,
        /** Finished. */
        DONE
    }

    public FleetProgress {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(planned, "planned");
    }

    /** Outcomes still to be posted. */
    public long outcomesPending() {
        return Math.max(0, outcomesScheduled - outcomesPosted - outcomesFailed);
    }
}
