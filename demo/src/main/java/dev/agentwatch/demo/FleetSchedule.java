package dev.agentwatch.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Maps the fleet's wall-clock time to simulated event time, which runs {@code compression} times
 * faster: run {@code i} is due {@code i / rate} wall seconds after the start and starts at
 * {@code simStart + i * compression / rate}. Both are fixed by the index, so a seed reproduces the
 * event times too, whatever the machine's speed.
 *
 * @param wallStart     when the fleet started, wall clock
 * @param simStart      simulated time at {@code wallStart}
 * @param compression   simulated seconds per wall second, at least 1
 * @param ratePerSecond runs started per wall second
 */
public record FleetSchedule(Instant wallStart, Instant simStart, double compression, double ratePerSecond) {
    public FleetSchedule {
        Objects.requireNonNull(wallStart, "wallStart");
        Objects.requireNonNull(simStart, "simStart");
        if (!(compression >= 1) || Double.isInfinite(compression)) {
            throw new IllegalArgumentException("time compression must be at least 1, got " + compression);
        }
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be a positive number of runs per second, got " + ratePerSecond);
        }
    }

    /** Wall-clock time run {@code index} is due. */
    public Instant wallDue(long index) {
        return wallStart.plus(seconds(index / ratePerSecond));
    }

    /** Simulated start of run {@code index}. */
    public Instant simStart(long index) {
        return simStart.plus(seconds(index * compression / ratePerSecond));
    }

    /** Wall-clock time at which simulated time reaches {@code sim}. */
    public Instant wallAt(Instant sim) {
        return wallStart.plus(seconds(Duration.between(simStart, sim).toNanos() / 1e9 / compression));
    }

    /** Simulated time at wall-clock time {@code wall}. */
    public Instant simAt(Instant wall) {
        return simStart.plus(seconds(Duration.between(wallStart, wall).toNanos() / 1e9 * compression));
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }
}
