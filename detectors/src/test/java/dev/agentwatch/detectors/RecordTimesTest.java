package dev.agentwatch.detectors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecordTimesTest {
    private static final long ARRIVAL = 1_795_000_000_000L;

    @Test
    void keepsEventTimeUpToAMinutePastArrival() {
        assertThat(RecordTimes.bounded(ARRIVAL - 3_600_000, ARRIVAL, ARRIVAL)).as("old: kept").isEqualTo(ARRIVAL - 3_600_000);
        assertThat(RecordTimes.bounded(ARRIVAL + 59_000, ARRIVAL, ARRIVAL)).as("small skew: kept").isEqualTo(ARRIVAL + 59_000);
    }

    @Test
    void capsAClockHoursAheadAtAMinutePastArrival() {
        assertThat(RecordTimes.bounded(ARRIVAL + 3 * 3_600_000, ARRIVAL, ARRIVAL - 5_000)).isEqualTo(ARRIVAL + 60_000);
    }

    @Test
    void aReplayOfOldRecordsIsCappedByTheWallClockInstead() {
        long wall = ARRIVAL + 86_400_000;
        assertThat(RecordTimes.bounded(ARRIVAL + 3_600_000, ARRIVAL, wall)).as("old arrival, plausible event")
                .isEqualTo(ARRIVAL + 3_600_000);
        assertThat(RecordTimes.bounded(wall + 7_200_000, ARRIVAL, wall)).isEqualTo(wall + 60_000);
    }

    @Test
    void neverNegative() {
        assertThat(RecordTimes.bounded(-5, ARRIVAL, ARRIVAL)).isZero();
    }
}
