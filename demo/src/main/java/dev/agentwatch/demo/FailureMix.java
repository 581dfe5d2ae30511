package dev.agentwatch.demo;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How often each failure is injected: the fraction of the runs that can have it (a policy
 * violation needs the read-only SRE agent, a rollout regression a run after the rollout). A run
 * gets at most one injected failure, so the rates of the kinds one agent can have add up to at
 * most 1.
 */
public record FailureMix(Map<FailureKind, Double> rates) {

    public FailureMix {
        EnumMap<FailureKind, Double> copy = new EnumMap<>(FailureKind.class);
        rates.forEach((kind, rate) -> {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("rate of " + kind.label() + " must be within 0..1, got " + rate);
            }
            copy.put(kind, rate);
        });
        double total = copy.values().stream().mapToDouble(Double::doubleValue).sum();
        if (total > 1.0 + 1e-9) {
            throw new IllegalArgumentException("failure rates add up to " + total + ", more than 1");
        }
        rates = Collections.unmodifiableMap(copy);
    }

    /** About two runs in five carry a failure, spread over every kind. */
    public static FailureMix defaults() {
        Map<FailureKind, Double> rates = new EnumMap<>(FailureKind.class);
        rates.put(FailureKind.SWALLOWED_TOOL_ERROR, 0.03);
        rates.put(FailureKind.LOOP, 0.02);
        rates.put(FailureKind.STEP_BUDGET_OVERRUN, 0.02);
        rates.put(FailureKind.UNFINISHED_RUN, 0.01);
        rates.put(FailureKind.LATENCY_SPIKE, 0.02);
        rates.put(FailureKind.COST_SPIKE, 0.02);
        rates.put(FailureKind.TRUNCATED_OUTPUT, 0.02);
        rates.put(FailureKind.POLICY_VIOLATION, 0.05);
        rates.put(FailureKind.MISSING_STEP, 0.02);
        rates.put(FailureKind.MODEL_ROLLOUT_REGRESSION, 0.12);
        rates.put(FailureKind.WRONG_DECISION, 0.04);
        rates.put(FailureKind.JUDGE_FALSE_REJECTION, 0.04);
        return new FailureMix(rates);
    }

    /** No failures at all: a clean fleet, for baselines and load tests. */
    public static FailureMix none() {
        return new FailureMix(Map.of());
    }

    /**
     * The defaults overridden by {@code spec}, e.g. {@code loop=0.05,policy_violation=0}; the
     * word {@code none} starts from no failures ({@code none,loop=0.1}).
     */
    public static FailureMix parse(String spec) {
        Map<FailureKind, Double> rates = new EnumMap<>(FailureKind.class);
        String trimmed = spec.strip();
        boolean fromNone = false;
        for (String part : trimmed.isEmpty() ? new String[0] : trimmed.split(",")) {
            String item = part.strip();
            if (item.equalsIgnoreCase("none")) {
                fromNone = true;
                continue;
            }
            int eq = item.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("failure mix entries look like kind=rate, got '" + item + "'");
            }
            FailureKind kind = FailureKind.ofLabel(item.substring(0, eq));
            try {
                rates.put(kind, Double.parseDouble(item.substring(eq + 1).strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rate of " + kind.label() + " is not a number: '" + item + "'", e);
            }
        }
        Map<FailureKind, Double> merged = new EnumMap<>(FailureKind.class);
        if (!fromNone) {
            merged.putAll(defaults().rates());
        }
        merged.putAll(rates);
        return new FailureMix(merged);
    }

    public double rate(FailureKind kind) {
        return rates.getOrDefault(kind, 0.0);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        rates.forEach((k, r) -> out.append(out.isEmpty() ? "" : ",").append(k.label()).append('=').append(r));
        return out.isEmpty() ? "none" : out.toString();
    }
}
