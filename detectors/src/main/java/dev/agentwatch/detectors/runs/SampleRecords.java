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
     * The steps of {@code run}, in the order the keys first appear, grouped by metric key and by
     * window of {@code windowMillis} of their record time ({@code stamp} of the step end's millisecond).
     */
    static List<SampleRecords> of(List<Step> steps, Run run, long windowMillis, LongUnaryOperator stamp) {
        Map<String, List<Group>> byKey = new LinkedHashMap<>();
        for (Step step : steps) {
            StepSample sample = StepSample.of(step, run.agentName(), run.agentVersion(), run.subjectId());
            long timestamp = stamp.applyAsLong(step.endEpochNanos() / 1_000_000);
            long window = Math.floorDiv(timestamp, windowMillis);
            List<Group> groups = byKey.computeIfAbsent(sample.metricKey(), key -> new ArrayList<>(1));
            Group group = null;
            for (Group candidate : groups) {
                if (candidate.window == window) {
                    group = candidate;
                }
            }
            if (group == null) {
                group = new Group(window);
                groups.add(group);
            }
            group.samples.add(sample);
            group.latest = Math.max(group.latest, timestamp);
        }
        List<SampleRecords> records = new ArrayList<>();
        byKey.forEach((key, groups) -> groups.forEach(group ->
                records.add(new SampleRecords(key, group.latest, new StepSamples(group.samples)))));
        return records;
    }

    /** One key's samples in one window. */
    private static final class Group {
        final long window;
        final List<StepSample> samples = new ArrayList<>();
        long latest = Long.MIN_VALUE;

        Group(long window) {
            this.window = window;
        }
    }
}
