package dev.agentwatch.detectors.outcomes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One agent's hourly counts of runs with outcomes and of silent failures, by the hour the runs
 * ended, over the baseline plus the window; and the windows already reported as spikes. Immutable.
 *
 * <h2>Spike rule</h2>
 * When a run's contribution lands in hour H, the window is the {@code window} hours ending with H
 * and the baseline the {@code baseline} hours before it; a spike is reported when
 * {@link RateSpikeTest} says so and no spike was reported for a window ending within
 * {@code window} hours of this one (one finding per episode, not one per hour). Outcomes for
 * runs older than the kept span are counted nowhere (the caller counts them as too old).
 *
 * @param hours           counts per hour, oldest first
 * @param spikeWindowEnds end (exclusive, epoch millis) of each window reported as a spike
 * @param newestHourMillis start of the newest hour seen
 */
record AgentRateHistory(List<HourCount> hours, List<Long> spikeWindowEnds, long newestHourMillis) {
    private static final long HOUR = Duration.ofHours(1).toMillis();

    AgentRateHistory {
        hours = List.copyOf(hours);
        spikeWindowEnds = List.copyOf(spikeWindowEnds);
    }

    static AgentRateHistory empty() {
        return new AgentRateHistory(List.of(), List.of(), Long.MIN_VALUE);
    }

    /** Counts of one hour. */
    record HourCount(long hourStartMillis, long runs, long silentFailures) {
    }

    /** A spike found: the window's and the baseline's counts and intervals. */
    record Spike(long windowStartMillis, long windowEndMillis, RateSpikeTest.Result result) {
    }

    /** Whether an hour is still within the kept span (baseline plus window behind the newest hour). */
    boolean keeps(long hourStartMillis, Duration window, Duration baseline) {
        return newestHourMillis == Long.MIN_VALUE
                || hourStartMillis > newestHourMillis - window.toMillis() - baseline.toMillis();
    }

    /** Applies a delta and forgets hours that fell out of the kept span. */
    AgentRateHistory apply(RateDelta delta, Duration window, Duration baseline) {
        long newest = Math.max(newestHourMillis, delta.hourStartMillis());
        long oldestKept = newest - window.toMillis() - baseline.toMillis() + HOUR;
        List<HourCount> next = new ArrayList<>(hours.size() + 1);
        boolean applied = false;
        for (HourCount hour : hours) {
            if (hour.hourStartMillis() == delta.hourStartMillis()) {
                hour = new HourCount(hour.hourStartMillis(), Math.max(0, hour.runs() + delta.runs()),
                        Math.max(0, hour.silentFailures() + delta.silentFailures()));
                applied = true;
            }
            if (hour.hourStartMillis() >= oldestKept && hour.runs() > 0) {
                next.add(hour);
            }
        }
        if (!applied && delta.hourStartMillis() >= oldestKept && delta.runs() > 0) {
            next.add(new HourCount(delta.hourStartMillis(), delta.runs(), Math.max(0, delta.silentFailures())));
        }
        next.sort(Comparator.comparingLong(HourCount::hourStartMillis));
        List<Long> spikes = spikeWindowEnds.stream().filter(end -> end > oldestKept).toList();
        return new AgentRateHistory(next, spikes, newest);
    }

    /** The spike of the window ending with {@code hourStartMillis}'s hour, if there is a new one. */
    Optional<Spike> spikeEndingAt(long hourStartMillis, Duration window, Duration baseline, RateSpikeTest test) {
        long windowEnd = hourStartMillis + HOUR;
        long windowStart = windowEnd - window.toMillis();
        long baselineStart = windowStart - baseline.toMillis();
        for (long reported : spikeWindowEnds) {
            if (Math.abs(reported - windowEnd) < window.toMillis()) {
                return Optional.empty();
            }
        }
        long windowRuns = 0;
        long windowFailures = 0;
        long baselineRuns = 0;
        long baselineFailures = 0;
        for (HourCount hour : hours) {
            if (hour.hourStartMillis() >= windowStart && hour.hourStartMillis() < windowEnd) {
                windowRuns += hour.runs();
                windowFailures += hour.silentFailures();
            } else if (hour.hourStartMillis() >= baselineStart && hour.hourStartMillis() < windowStart) {
                baselineRuns += hour.runs();
                baselineFailures += hour.silentFailures();
            }
        }
        return test.test(windowFailures, windowRuns, baselineFailures, baselineRuns)
                .filter(RateSpikeTest.Result::spike)
                .map(result -> new Spike(windowStart, windowEnd, result));
    }

    AgentRateHistory withSpikeReported(long windowEndMillis) {
        List<Long> next = new ArrayList<>(spikeWindowEnds);
        next.add(windowEndMillis);
        return new AgentRateHistory(hours, next, newestHourMillis);
    }
}
