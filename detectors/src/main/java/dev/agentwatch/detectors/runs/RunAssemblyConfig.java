package dev.agentwatch.detectors.runs;

import java.time.Duration;
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
 */
public record RunAssemblyConfig(Duration inactivityGap, Duration closedRetention, Duration idleAfter, int maxStepsPerRun,
                                Duration punctuationInterval) {
    public RunAssemblyConfig {
        Objects.requireNonNull(inactivityGap, "inactivityGap");
        Objects.requireNonNull(closedRetention, "closedRetention");
        Objects.requireNonNull(idleAfter, "idleAfter");
        Objects.requireNonNull(punctuationInterval, "punctuationInterval");
        for (Duration d : new Duration[] {inactivityGap, closedRetention, idleAfter, punctuationInterval}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("detectors.run.* durations must be positive, got " + d);
            }
        }
        if (maxStepsPerRun < 1) {
            throw new IllegalArgumentException("detectors.run.max.steps must be at least 1, got " + maxStepsPerRun);
        }
    }

    public static RunAssemblyConfig defaults() {
        return new RunAssemblyConfig(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofSeconds(30), 1000,
                Duration.ofSeconds(1));
    }
}
