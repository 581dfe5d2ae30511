package dev.agentwatch.detectors;

import dev.agentwatch.detectors.detect.BudgetDetector;
import dev.agentwatch.detectors.detect.ErrorRateSpikeDetector;
import dev.agentwatch.detectors.detect.LoopDetector;
import dev.agentwatch.detectors.detect.MissingToolStepDetector;
import dev.agentwatch.detectors.detect.OutlierDetector;
import dev.agentwatch.detectors.detect.OutputDetector;
import dev.agentwatch.detectors.detect.RunDetector;
import dev.agentwatch.detectors.detect.SwallowedErrorDetector;
import dev.agentwatch.detectors.detect.ToolPolicyDetector;
import dev.agentwatch.detectors.detect.UnfinishedRunDetector;
import dev.agentwatch.detectors.runs.RunAssemblyConfig;
import dev.agentwatch.model.PriceTable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the run assembly, the metrics and every detector are configured with.
 *
 * @param runs            run assembly (inactivity gap, late-step retention, idle clock)
 * @param budgets         step and model-call budgets, per agent
 * @param loop            loop thresholds
 * @param swallowedErrors which claimed outcomes admit failure
 * @param policy          tool allow-lists, read-only agents, write-capable tools
 * @param outliers        latency, token and cost outlier baselines
 * @param errorRateSpike  per-agent error-rate baseline
 * @param metricsGrace    how late (event time) a step or run may arrive and still count in its
 *                        1-minute window; must cover the inactivity gap, since runs closed by
 *                        inactivity report their steps that late
 * @param prices          model prices (USD per million tokens) that steps' costs are computed with
 */
public record DetectionConfig(RunAssemblyConfig runs, BudgetDetector.Config budgets, LoopDetector.Config loop,
                              SwallowedErrorDetector.Config swallowedErrors, ToolPolicyDetector.Config policy,
                              OutlierDetector.Config outliers, ErrorRateSpikeDetector.Config errorRateSpike,
                              Duration metricsGrace, PriceTable prices) {
    public DetectionConfig {
        Objects.requireNonNull(runs, "runs");
        Objects.requireNonNull(budgets, "budgets");
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(swallowedErrors, "swallowedErrors");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(outliers, "outliers");
        Objects.requireNonNull(errorRateSpike, "errorRateSpike");
        Objects.requireNonNull(metricsGrace, "metricsGrace");
        Objects.requireNonNull(prices, "prices");
        if (metricsGrace.compareTo(runs.longestInactivityGap()) < 0) {
            throw new IllegalArgumentException("detectors.metrics.grace.ms (" + metricsGrace.toMillis()
                    + ") must be at least the longest inactivity gap (" + runs.longestInactivityGap().toMillis()
                    + " ms, detectors.run.inactivity.gap.ms and .agents): steps of runs closed by inactivity reach "
                    + "the metrics that late");
        }
    }

    public static DetectionConfig defaults() {
        return new DetectionConfig(RunAssemblyConfig.defaults(), BudgetDetector.Config.defaults(),
                LoopDetector.Config.defaults(), SwallowedErrorDetector.Config.defaults(), ToolPolicyDetector.Config.none(),
                OutlierDetector.Config.defaults(), ErrorRateSpikeDetector.Config.defaults(), Duration.ofMinutes(10),
                PriceTable.defaults());
    }

    public DetectionConfig withRuns(RunAssemblyConfig other) {
        Duration grace = metricsGrace.compareTo(other.longestInactivityGap()) < 0
                ? other.longestInactivityGap().multipliedBy(2) : metricsGrace;
        return new DetectionConfig(other, budgets, loop, swallowedErrors, policy, outliers, errorRateSpike, grace, prices);
    }

    public DetectionConfig withPolicy(ToolPolicyDetector.Config other) {
        return new DetectionConfig(runs, budgets, loop, swallowedErrors, other, outliers, errorRateSpike, metricsGrace, prices);
    }

    public DetectionConfig withOutliers(OutlierDetector.Config other) {
        return new DetectionConfig(runs, budgets, loop, swallowedErrors, policy, other, errorRateSpike, metricsGrace, prices);
    }

    public DetectionConfig withErrorRateSpike(ErrorRateSpikeDetector.Config other) {
        return new DetectionConfig(runs, budgets, loop, swallowedErrors, policy, outliers, other, metricsGrace, prices);
    }

    public DetectionConfig withPrices(PriceTable other) {
        return new DetectionConfig(runs, budgets, loop, swallowedErrors, policy, outliers, errorRateSpike, metricsGrace, other);
    }

    /** Every detector that judges closed runs, in a fixed order. */
    public List<RunDetector> runDetectors() {
        return List.of(new BudgetDetector(budgets), new LoopDetector(loop), new SwallowedErrorDetector(swallowedErrors),
                new MissingToolStepDetector(), new UnfinishedRunDetector(), new OutputDetector(),
                new ToolPolicyDetector(policy));
    }
}
