package dev.agentwatch.detectors.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorRateSpikeDetectorTest {
    private static final long MINUTE = 60_000_000_000L;
    private static final long T0 = 29_931_000L * MINUTE;
    private final ErrorRateSpikeDetector detector = new ErrorRateSpikeDetector(ErrorRateSpikeDetector.Config.defaults());

    private static Run run(int minute, int index, boolean failed) {
        long end = T0 + minute * MINUTE + index * 1_000_000_000L;
        return new Run("acme", String.format("%032x", minute * 1000L + index), "svc", "claims-agent", "2.0",
                List.of(), "r", "root", end - 1_000_000, end, failed ? RunStatus.ERROR : RunStatus.OK, 3, 1, 1,
                failed ? 1 : 0, 0, 0, 10, 10, 0.0, List.of(), "", "", "", Double.NaN, "", 0, 0, end / 1_000_000);
    }

    /** Minutes of {@code runs} runs each with {@code failures[m]} failures; returns all findings. */
    private List<Finding> play(int runs, int... failures) {
        ErrorRateSpikeDetector.State state = detector.initialState();
        List<Finding> findings = new ArrayList<>();
        for (int minute = 0; minute <= failures.length; minute++) {
            int failed = minute < failures.length ? failures[minute] : 0;
            int count = minute < failures.length ? runs : 1;
            for (int i = 0; i < count; i++) {
                Detection<ErrorRateSpikeDetector.State> detection = detector.apply(state, run(minute, i, i < failed));
                state = detection.state();
                findings.addAll(detection.findings());
            }
        }
        return findings;
    }

    @Test
    void flagsAMinuteWhoseFailureRateJumpsAboveTheBaseline() {
        List<Finding> findings = play(20, 1, 2, 1, 1, 2, 1, 12);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.detector()).isEqualTo("error_rate_spike");
            assertThat(f.agentName()).isEqualTo("claims-agent");
            assertThat(f.runId()).isEmpty();
            assertThat(f.evidence()).containsEntry("runs", "20").containsEntry("failed_runs", "12");
        });
    }

    @Test
    void staysQuietWhileTheBaselineWarmsUp() {
        assertThat(play(20, 1, 15, 15)).isEmpty();
    }

    @Test
    void ordinaryNoiseAndThinMinutesDoNotFire() {
        assertThat(play(20, 1, 2, 0, 3, 1, 2, 4, 1, 3, 2)).isEmpty();
        assertThat(play(5, 0, 0, 0, 0, 0, 0, 5)).as("minutes below minRuns are not judged").isEmpty();
    }

    @Test
    void aRunClosedInAMinuteAlreadyJudgedCountsInTheMinuteBeingCounted() {
        ErrorRateSpikeDetector.State state = detector.apply(detector.initialState(), run(5, 0, false)).state();

        ErrorRateSpikeDetector.State after = detector.apply(state, run(3, 0, true)).state();

        assertThat(after.minute()).isEqualTo(state.minute());
        assertThat(after.runs()).isEqualTo(2);
        assertThat(after.failed()).isEqualTo(1);
        Run olderVersion = run(4, 1, true);
        olderVersion = new Run("acme", olderVersion.runId(), "svc", "claims-agent", "1.9", List.of(), "r", "root",
                olderVersion.endEpochNanos() - 1_000_000, olderVersion.endEpochNanos(), RunStatus.ERROR, 3, 1, 1, 1, 0, 0, 10,
                10, 0.0, List.of(), "", "", "", Double.NaN, "", 0, 0, olderVersion.closedAtEpochMillis());
        assertThat(detector.apply(after, olderVersion).state().agentVersion()).as("the version of the minute's runs")
                .isEqualTo("2.0");
    }

    /** Hung runs close an inactivity gap after their last step: they count when they close. */
    @Test
    void runsThatNeverFinishedCountInTheMinuteTheyClosed() {
        ErrorRateSpikeDetector.State state = detector.initialState();
        List<Finding> findings = new ArrayList<>();
        for (int minute = 0; minute < 10; minute++) {
            for (int i = 0; i < 20; i++) {
                boolean hung = minute >= 8 && i < 10;
                Run run = run(minute, i, false);
                if (hung) {
                    // Went quiet 5 minutes before it closed as unfinished.
                    long end = run.endEpochNanos() - 5 * MINUTE;
                    run = new Run("acme", run.runId(), "svc", "claims-agent", "2.0", List.of(), "r", "root", end - 1_000_000,
                            end, RunStatus.UNFINISHED, 3, 1, 1, 0, 0, 0, 10, 10, 0.0, List.of(), "", "", "", Double.NaN, "",
                            0, 0, run.closedAtEpochMillis());
                }
                Detection<ErrorRateSpikeDetector.State> detection = detector.apply(state, run);
                state = detection.state();
                findings.addAll(detection.findings());
            }
        }
        findings.addAll(detector.apply(state, run(10, 0, false)).findings());

        assertThat(findings).as("minutes 8 and 9").hasSize(2).allSatisfy(finding ->
                assertThat(finding.evidence()).containsEntry("failed_runs", "10").containsEntry("runs", "20"));
    }
}
