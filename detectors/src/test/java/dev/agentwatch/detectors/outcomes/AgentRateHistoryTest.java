package dev.agentwatch.detectors.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgentRateHistoryTest {
    private static final Duration WINDOW = Duration.ofHours(6);
    private static final Duration BASELINE = Duration.ofDays(7);
    private static final RateSpikeTest TEST = new RateSpikeTest(20, 100);
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long NOW_HOUR = Instant.parse("2026-03-09T12:00:00Z").toEpochMilli();

    private static AgentRateHistory add(AgentRateHistory history, long hour, int runs, int silentFailures) {
        for (int i = 0; i < runs; i++) {
            history = history.apply(new RateDelta("acme", "claims-agent", "v1", "r" + i, hour, 1,
                    i < silentFailures ? 1 : 0), WINDOW, BASELINE);
        }
        return history;
    }

    /** A baseline of 2% silent failures over the week before the window. */
    private static AgentRateHistory baseline() {
        AgentRateHistory history = AgentRateHistory.empty();
        for (int h = 7; h < 7 + 24 * 6; h += 4) {
            history = add(history, NOW_HOUR - h * HOUR, 50, 1);
        }
        return history;
    }

    @Test
    void reportsAWindowWhoseRateIsSignificantlyAboveTheBaseline() {
        AgentRateHistory history = add(baseline(), NOW_HOUR, 40, 12);

        assertThat(history.spikeEndingAt(NOW_HOUR, WINDOW, BASELINE, TEST)).hasValueSatisfying(spike -> {
            assertThat(spike.result().window().trials()).isEqualTo(40);
            assertThat(spike.result().window().successes()).isEqualTo(12);
            assertThat(spike.result().baseline().rate()).isCloseTo(0.02, org.assertj.core.api.Assertions.within(1e-9));
            assertThat(spike.windowEndMillis()).isEqualTo(NOW_HOUR + HOUR);
        });
    }

    @Test
    void aRateWithinTheBaselinesNoiseIsNoSpike() {
        AgentRateHistory history = add(baseline(), NOW_HOUR, 40, 2);

        assertThat(history.spikeEndingAt(NOW_HOUR, WINDOW, BASELINE, TEST)).isEmpty();
    }

    @Test
    void tooFewRunsInTheWindowOrTheBaselineIsNoSpike() {
        assertThat(add(baseline(), NOW_HOUR, 10, 10).spikeEndingAt(NOW_HOUR, WINDOW, BASELINE, TEST)).isEmpty();
        AgentRateHistory thinBaseline = add(add(AgentRateHistory.empty(), NOW_HOUR - 10 * HOUR, 50, 0), NOW_HOUR, 40, 20);
        assertThat(thinBaseline.spikeEndingAt(NOW_HOUR, WINDOW, BASELINE, TEST)).isEmpty();
    }

    @Test
    void reportsOneSpikePerEpisodeNotOnePerHour() {
        AgentRateHistory history = add(baseline(), NOW_HOUR, 40, 12);
        long reportedEnd = history.spikeEndingAt(NOW_HOUR, WINDOW, BASELINE, TEST).orElseThrow().windowEndMillis();
        history = add(history.withSpikeReported(reportedEnd), NOW_HOUR + HOUR, 40, 12);

        assertThat(history.spikeEndingAt(NOW_HOUR + HOUR, WINDOW, BASELINE, TEST)).isEmpty();
        history = add(history, NOW_HOUR + 6 * HOUR, 40, 20);
        assertThat(history.spikeEndingAt(NOW_HOUR + 6 * HOUR, WINDOW, BASELINE, TEST)).isPresent();
    }

    @Test
    void aWithdrawnContributionIsSubtracted() {
        AgentRateHistory history = add(AgentRateHistory.empty(), NOW_HOUR, 3, 1);
        history = history.apply(new RateDelta("acme", "claims-agent", "v1", "r0", NOW_HOUR, -1, -1), WINDOW, BASELINE);

        assertThat(history.hours()).singleElement().satisfies(hour -> {
            assertThat(hour.runs()).isEqualTo(2);
            assertThat(hour.silentFailures()).isZero();
        });
    }

    @Test
    void forgetsHoursOlderThanBaselinePlusWindow() {
        AgentRateHistory history = add(AgentRateHistory.empty(), NOW_HOUR - BASELINE.toMillis() - WINDOW.toMillis(), 5, 0);
        history = add(history, NOW_HOUR, 1, 0);

        assertThat(history.hours()).singleElement().extracting(AgentRateHistory.HourCount::hourStartMillis)
                .isEqualTo(NOW_HOUR);
        assertThat(history.keeps(NOW_HOUR - BASELINE.toMillis() - WINDOW.toMillis(), WINDOW, BASELINE)).isFalse();
        assertThat(history.keeps(NOW_HOUR - BASELINE.toMillis() - WINDOW.toMillis() + HOUR, WINDOW, BASELINE)).isTrue();
    }
}
