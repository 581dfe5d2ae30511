package dev.agentwatch.detectors.detect;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Severity;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepSample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Outliers of one quantity (latency, tokens or cost) per (tenant, agent, agent version, step kind,
 * step name, model), against a learned {@link Baseline}. Nothing fires until the baseline has
 * {@code minSamples} values; then a step fires when ln(value) lies more than {@code threshold}
 * spreads above the centre <em>and</em> the value is at least {@code minRatio} times the typical
 * value (so a very steady baseline does not turn a 10% wobble into an alert). Only high values
 * fire: a faster or cheaper step is not a failure. Steps without the quantity (0 tokens, cost
 * unknown) are neither judged nor learned, and neither are agent and workflow steps: they span
 * their children, so one slow model call would be reported once per enclosing level.
 */
public final class OutlierDetector implements Detector<Baseline, StepSample> {

    /** The quantity judged. */
    public enum Quantity {
        LATENCY("latency_outlier", "latency", "ms"),
        TOKENS("token_outlier", "tokens", "tokens"),
        COST("cost_outlier", "cost", "USD");

        private final String detector;
        private final String label;
        private final String unit;

        Quantity(String detector, String label, String unit) {
            this.detector = detector;
            this.label = label;
            this.unit = unit;
        }

        public String detector() {
            return detector;
        }

        double valueOf(StepSample sample) {
            return switch (this) {
                case LATENCY -> sample.durationNanos() / 1_000_000.0;
                case TOKENS -> sample.totalTokens();
                case COST -> sample.costUsd();
            };
        }
    }

    /**
     * @param minSamples  values learned before any finding (warm-up)
     * @param threshold   how many spreads above the centre is an outlier
     * @param minRatio    an outlier is also at least this many times the typical value
     * @param alpha       weight of a new value once warm (0 < alpha < 1)
     * @param minSpread   floor of the spread in log units, for near-constant baselines
     */
    public record Config(int minSamples, double threshold, double minRatio, double alpha, double minSpread) {
        public Config {
            if (minSamples < 2 || !(threshold > 0) || !(minRatio >= 1) || !(alpha > 0 && alpha < 1) || !(minSpread > 0)) {
                throw new IllegalArgumentException("outlier config: minSamples >= 2, threshold > 0, minRatio >= 1, "
                        + "0 < alpha < 1, minSpread > 0");
            }
        }

        public static Config defaults() {
            return new Config(30, 6.0, 3.0, 0.05, 0.1);
        }
    }

    private final Quantity quantity;
    private final Config config;

    public OutlierDetector(Quantity quantity, Config config) {
        this.quantity = Objects.requireNonNull(quantity, "quantity");
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public String name() {
        return quantity.detector();
    }

    @Override
    public Baseline initialState() {
        return Baseline.EMPTY;
    }

    @Override
    public Detection<Baseline> apply(Baseline baseline, StepSample sample) {
        double value = quantity.valueOf(sample);
        if (!(value > 0) || Double.isInfinite(value) || sample.kind() == StepKind.AGENT
                || sample.kind() == StepKind.WORKFLOW) {
            return Detection.nothing(baseline);
        }
        Baseline learned = baseline.learn(value, config.alpha(), config.threshold(), config.minSpread());
        if (baseline.samples() < config.minSamples()) {
            return Detection.nothing(learned);
        }
        double scale = Math.max(baseline.spread(), config.minSpread());
        double distance = (Math.log(value) - baseline.center()) / scale;
        double ratio = value / baseline.typical();
        if (distance <= config.threshold() || ratio < config.minRatio()) {
            return Detection.nothing(learned);
        }
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("value", format(value));
        evidence.put("unit", quantity.unit);
        evidence.put("baseline_typical", format(baseline.typical()));
        evidence.put("ratio", format(ratio));
        evidence.put("spreads_above", format(distance));
        evidence.put("baseline_samples", Long.toString(baseline.samples()));
        evidence.put("step_kind", sample.kind().label());
        evidence.put("step_name", sample.name());
        evidence.put("model", sample.model());
        String summary = quantity.label + " of " + sample.kind().label() + " " + sample.name() + " was "
                + format(value) + " " + quantity.unit + ", " + format(ratio) + "x its typical " + format(baseline.typical());
        Finding finding = new Finding(Fingerprint.of(sample.tenant(), sample.runId(), name(), sample.stepId()), name(),
                Severity.WARNING, sample.tenant(), sample.agentName(), sample.agentVersion(), sample.runId(),
                sample.stepId(), sample.subjectId(), summary, sample.endEpochNanos(), 0L, evidence, Map.of());
        return Detection.of(learned, List.of(finding));
    }

    private static String format(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.4g", value);
    }
}
