package dev.agentwatch.detectors.outcomes;

import java.util.Optional;

/**
 * Decides whether a window's silent-failure rate is significantly above the baseline's: both
 * have enough runs, and the window's Wilson 95% lower bound is above the baseline's upper bound.
 * Non-overlapping intervals are a conservative test (stricter than a two-proportion z-test at
 * the same level), which suits a finding that pages someone. Pure.
 *
 * @param minWindowRuns   runs the window needs
 * @param minBaselineRuns runs the baseline needs
 */
public record RateSpikeTest(int minWindowRuns, int minBaselineRuns) {
    public RateSpikeTest {
        if (minWindowRuns < 1 || minBaselineRuns < 1) {
            throw new IllegalArgumentException("minimum runs must be at least 1");
        }
    }

    /** The two intervals compared, and whether they make a spike. */
    public record Result(WilsonInterval window, WilsonInterval baseline, boolean spike) {
    }

    /** Empty when either side lacks runs. */
    public Optional<Result> test(long windowFailures, long windowRuns, long baselineFailures, long baselineRuns) {
        if (windowRuns < minWindowRuns || baselineRuns < minBaselineRuns) {
            return Optional.empty();
        }
        WilsonInterval window = WilsonInterval.of(windowFailures, windowRuns);
        WilsonInterval baseline = WilsonInterval.of(baselineFailures, baselineRuns);
        return Optional.of(new Result(window, baseline, window.lower() > baseline.upper()));
    }
}
