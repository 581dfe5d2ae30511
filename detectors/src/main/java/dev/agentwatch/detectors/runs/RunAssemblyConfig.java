package dev.agentwatch.detectors.runs;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How runs are assembled.
 *
 * @param inactivityGap       a run without a root closes as unfinished once no step arrived for
 *                            this long, in event time (default 5 min)
 * @param closedRetention     how long a closed run is kept to absorb late steps, in event time
 *                            after its last step (default 1 h); a step later than that starts a
 *                            new, rootless run
 * @param idleAfter           wall-clock time without any new record on a partition after which
 *                            that partition's clock advances by the wall-clock time (so the last
 *                            runs close when traffic stops; default 30 s)
 * @param maxStepsPerRun      steps kept per run for the detectors and the path (within
 *                            {@link RunState#MAX_STEP_BYTES}, and the root always); later steps
 *                            are still counted in the run's totals (default 1000)
 * @param punctuationInterval how often expired runs are looked for (default 1 s)
 * @param agentInactivityGaps the inactivity gap of agents whose runs legitimately go quiet for
 *                            longer (or shorter) than {@code inactivityGap}: a tool that runs for
 *                            ten minutes, an approval inside the run; by agent name
 */
public record RunAssemblyConfig(Duration inactivityGap, Duration closedRetention, Duration idleAfter, int maxStepsPerRun,
                                Duration punctuationInterval, Map<String, Duration> agentInactivityGaps) {
    public RunAssemblyConfig {
        Objects.requireNonNull(inactivityGap, "inactivityGap");
        Objects.requireNonNull(closedRetention, "closedRetention");
        Objects.requireNonNull(idleAfter, "idleAfter");
        Objects.requireNonNull(punctuationInterval, "punctuationInterval");
        agentInactivityGaps = Map.copyOf(agentInactivityGaps);
        for (Duration d : new Duration[] {inactivityGap, closedRetention, idleAfter, punctuationInterval}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("detectors.run.* durations must be positive, got " + d);
            }
        }
        agentInactivityGaps.forEach((agent, gap) -> {
            if (gap.isNegative() || gap.isZero()) {
                throw new IllegalArgumentException("detectors.run.inactivity.gap.agents: the gap of " + agent
                        + " must be positive, got " + gap);
            }
        });
        if (maxStepsPerRun < 1) {
            throw new IllegalArgumentException("detectors.run.max.steps must be at least 1, got " + maxStepsPerRun);
        }
    }

    /** The same gap for every agent. */
    public RunAssemblyConfig(Duration inactivityGap, Duration closedRetention, Duration idleAfter, int maxStepsPerRun,
                             Duration punctuationInterval) {
        this(inactivityGap, closedRetention, idleAfter, maxStepsPerRun, punctuationInterval, Map.of());
    }

    public static RunAssemblyConfig defaults() {
        return new RunAssemblyConfig(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofSeconds(30), 1000,
                Duration.ofSeconds(1));
    }

    public RunAssemblyConfig withAgentInactivityGaps(Map<String, Duration> gaps) {
        return new RunAssemblyConfig(inactivityGap, closedRetention, idleAfter, maxStepsPerRun, punctuationInterval, gaps);
    }

    /** The inactivity gap of runs of {@code agentName} (empty when the run names none yet). */
    public Duration inactivityGapOf(String agentName) {
        return agentInactivityGaps.getOrDefault(agentName, inactivityGap);
    }

    /** The shortest gap of any agent: when a run whose agent is not known yet is first looked at. */
    public Duration shortestInactivityGap() {
        return agentInactivityGaps.values().stream().reduce(inactivityGap, (a, b) -> a.compareTo(b) <= 0 ? a : b);
    }

    /** The longest gap of any agent: how late steps of runs closed by inactivity reach the metrics. */
    public Duration longestInactivityGap() {
        return agentInactivityGaps.values().stream().reduce(inactivityGap, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }
}
