package dev.agentwatch.model;

import java.util.List;
import java.util.Objects;

/**
 * The samples of one run's steps that share a {@link StepSample#metricKey() metric key}: one
 * record on {@code agentwatch_step_samples}, keyed by that metric key. A run's LLM calls to one
 * model, or its repeated calls of one tool, travel together, so the per-step metrics and the
 * outlier detectors read and update their state once per run and key instead of once per step.
 *
 * @param samples at least one; all of one run and subject, and of one metric key, in the order
 *                their steps were kept
 */
public record StepSamples(List<StepSample> samples) {

    public StepSamples {
        samples = List.copyOf(Objects.requireNonNull(samples, "samples"));
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a step samples record holds at least one sample");
        }
        StepSample first = samples.getFirst();
        for (StepSample sample : samples) {
            if (!together(first, sample)) {
                throw new IllegalArgumentException("step samples of run " + first.runId() + " and key "
                        + readable(first) + " cannot hold a sample of run " + sample.runId() + " and key "
                        + readable(sample));
            }
        }
    }

    /** Same run, subject and metric key; field by field, as this runs for every record read. */
    private static boolean together(StepSample a, StepSample b) {
        return a.runId().equals(b.runId()) && a.subjectId().equals(b.subjectId()) && a.tenant().equals(b.tenant())
                && a.agentName().equals(b.agentName()) && a.agentVersion().equals(b.agentVersion())
                && a.kind() == b.kind() && a.name().equals(b.name()) && a.model().equals(b.model());
    }

    private static String readable(StepSample sample) {
        return sample.metricKey().replace('\u001f', '/');
    }

    public static StepSamples of(StepSample sample) {
        return new StepSamples(List.of(sample));
    }

    /** The metric key all samples share. */
    public String metricKey() {
        return samples.getFirst().metricKey();
    }
}
