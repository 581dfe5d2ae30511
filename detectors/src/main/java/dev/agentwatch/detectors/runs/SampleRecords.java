package dev.agentwatch.detectors.runs;

import dev.agentwatch.model.Run;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepSample;
import dev.agentwatch.model.StepSamples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * A closed run's steps as records for {@code agentwatch_step_samples}: one per metric key and
 * window of the step metrics, so that a record carries what was a record per step before and
 * still falls in the one window its samples would. Pure.
 *
 * @param metricKey the record's key
 * @param timestamp the record's time: its latest sample's
 * @param samples   the samples, in the order of the run's steps
 */
record SampleRecords(String metricKey, long timestamp, StepSamples samples) {

    /**
     * The steps of {@code run}, in the order each key and window first appears, grouped by metric
     * key and by window of {@code windowMillis} of their record time ({@code stamp} of the step
     * end's millisecond).
     */
    static List<SampleRecords> of(List<Step> steps, Run run, long windowMillis, LongUnaryOperator stamp) {
        Map<KeyAndWindow, Group> groups = new LinkedHashMap<>();
        for (Step step : steps) {
            StepSample sample = StepSample.of(step, run.agentName(), run.agentVersion(), run.subjectId());
            long timestamp = stamp.applyAsLong(step.endEpochNanos() / 1_000_000);
            Group group = groups.computeIfAbsent(
                    new KeyAndWindow(sample.metricKey(), Math.floorDiv(timestamp, windowMillis)), at -> new Group());
            group.samples.add(sample);
            group.latest = Math.max(group.latest, timestamp);
        }
        List<SampleRecords> records = new ArrayList<>(groups.size());
        groups.forEach((at, group) -> records.add(new SampleRecords(at.metricKey(), group.latest,
                new StepSamples(group.samples))));
        return records;
    }

    private record KeyAndWindow(String metricKey, long window) {
    }

    /** One key's samples in one window, and the latest of their record times. */
    private static final class Group {
        final List<StepSample> samples = new ArrayList<>();
        long latest = Long.MIN_VALUE;
    }
}
