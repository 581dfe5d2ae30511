package dev.agentwatch.model;

import java.util.List;
import java.util.Objects;

/**
 * Per-agent run metrics of one minute: runs by the minute they closed (the runs topic's record
 * time; a run that never finished closes an inactivity gap after its last step). Re-emitted with
 * a higher {@code runs} count while the minute fills up; the latest is the whole minute.
 *
 * @param windowStartEpochMillis start of the minute (event time)
 * @param tenant                 tenant
 * @param agentName              agent, empty when unknown
 * @param agentVersion           agent version, empty when unknown
 * @param runs                   runs (first revisions only: re-emitted runs are not counted again)
 * @param okRuns                 runs whose root ended OK
 * @param errorRuns              runs whose root ended with ERROR
 * @param unfinishedRuns         runs closed by inactivity, without a root
 * @param runsWithFailedSteps    runs with at least one failed step
 * @param handoffRuns            runs with at least one hand-off step
 * @param stepsPerRun            distinct steps-per-run values, ascending
 * @param stepsPerRunCounts      runs per value (same length)
 * @param modelCallsPerRun       distinct model-calls-per-run values, ascending
 * @param modelCallsPerRunCounts runs per value (same length)
 * @param durationP50Ms          median run duration
 * @param durationP95Ms          95th percentile run duration
 * @param inputTokens            input tokens of the runs
 * @param outputTokens           output tokens
 * @param costUsd                cost
 */
public record AgentMetrics(long windowStartEpochMillis, String tenant, String agentName, String agentVersion, long runs,
                           long okRuns, long errorRuns, long unfinishedRuns, long runsWithFailedSteps, long handoffRuns,
                           List<Long> stepsPerRun, List<Long> stepsPerRunCounts, List<Long> modelCallsPerRun,
                           List<Long> modelCallsPerRunCounts, double durationP50Ms, double durationP95Ms, long inputTokens,
                           long outputTokens, double costUsd) {
    public AgentMetrics {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(agentVersion, "agentVersion");
        stepsPerRun = List.copyOf(stepsPerRun);
        stepsPerRunCounts = List.copyOf(stepsPerRunCounts);
        modelCallsPerRun = List.copyOf(modelCallsPerRun);
        modelCallsPerRunCounts = List.copyOf(modelCallsPerRunCounts);
        if (stepsPerRun.size() != stepsPerRunCounts.size() || modelCallsPerRun.size() != modelCallsPerRunCounts.size()) {
            throw new IllegalArgumentException("distribution values and counts differ in length");
        }
        if (runs < 0 || okRuns + errorRuns + unfinishedRuns != runs) {
            throw new IllegalArgumentException("ok, error and unfinished runs must add up to runs");
        }
    }

    /** Share of runs whose root ended OK, 0 when there were none. */
    public double successRate() {
        return runs == 0 ? 0 : (double) okRuns / runs;
    }

    public double handoffRate() {
        return runs == 0 ? 0 : (double) handoffRuns / runs;
    }
}
