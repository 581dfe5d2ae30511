package dev.agentwatch.cli;

import dev.agentwatch.detectors.DetectionConfig;
import dev.agentwatch.detectors.detect.BudgetDetector;
import dev.agentwatch.detectors.detect.ErrorRateSpikeDetector;
import dev.agentwatch.detectors.detect.LoopDetector;
import dev.agentwatch.detectors.detect.OutlierDetector;
import dev.agentwatch.detectors.detect.SwallowedErrorDetector;
import dev.agentwatch.detectors.detect.ToolPolicyDetector;
import dev.agentwatch.detectors.runs.RunAssemblyConfig;
import dev.agentwatch.model.PriceTable;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The {@code detectors.*} settings of run assembly, metrics and detectors, as a {@link DetectionConfig}. */
final class DetectionSettings {
    private DetectionSettings() {
    }

    static DetectionConfig from(Settings settings) {
        RunAssemblyConfig runs = new RunAssemblyConfig(millis(settings, "detectors.run.inactivity.gap.ms"),
                millis(settings, "detectors.run.closed.retention.ms"), millis(settings, "detectors.run.idle.after.ms"),
                settings.integer("detectors.run.max.steps"), Duration.ofSeconds(1))
                .withAgentInactivityGaps(OutcomeSettings.agentDurations(settings, "detectors.run.inactivity.gap.agents"));
        BudgetDetector.Budget standard = new BudgetDetector.Budget(settings.integer("detectors.budget.max.steps"),
                settings.integer("detectors.budget.max.model.calls"),
                settings.integer("detectors.budget.max.model.calls.per.subtask"));
        Map<String, BudgetDetector.Budget> perAgent = new LinkedHashMap<>();
        settings.map("detectors.budget.agents").forEach((agent, value) -> {
            String[] parts = value.split("/");
            if (parts.length != 3) {
                throw new IllegalArgumentException("detectors.budget.agents entries look like agent=steps/model_calls/"
                        + "per_subtask, got '" + agent + "=" + value + "'");
            }
            try {
                perAgent.put(agent, new BudgetDetector.Budget(Integer.parseInt(parts[0].strip()),
                        Integer.parseInt(parts[1].strip()), Integer.parseInt(parts[2].strip())));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("detectors.budget.agents: '" + value + "' for " + agent
                        + " must be three whole numbers separated by '/'");
            }
        });
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        settings.map("detectors.policy.allowed.tools").forEach((agent, tools) -> allowed.put(agent, list(tools, "\\|")));
        OutlierDetector.Config defaults = OutlierDetector.Config.defaults();
        ErrorRateSpikeDetector.Config spikeDefaults = ErrorRateSpikeDetector.Config.defaults();
        return new DetectionConfig(runs, new BudgetDetector.Config(standard, perAgent),
                new LoopDetector.Config(settings.integer("detectors.loop.max.identical.calls"),
                        settings.integer("detectors.loop.min.cycle.repeats"), LoopDetector.Config.defaults().maxCycleLength()),
                new SwallowedErrorDetector.Config(list(settings.string("detectors.swallowed.failure.claims"), ",")),
                new ToolPolicyDetector.Config(allowed, list(settings.string("detectors.policy.read.only.agents"), ","),
                        list(settings.string("detectors.policy.write.tools"), ",")),
                new OutlierDetector.Config(settings.integer("detectors.outlier.min.samples"),
                        decimal(settings, "detectors.outlier.threshold"), decimal(settings, "detectors.outlier.min.ratio"),
                        defaults.alpha(), defaults.minSpread()),
                new ErrorRateSpikeDetector.Config(settings.integer("detectors.error.spike.min.runs"),
                        settings.integer("detectors.error.spike.min.minutes"),
                        decimal(settings, "detectors.error.spike.min.increase"), spikeDefaults.sigmas(),
                        spikeDefaults.alpha()),
                millis(settings, "detectors.metrics.grace.ms"),
                PriceTable.defaults().withOverrides(prices(settings)));
    }

    /** {@code detectors.prices}: model=input/output[/cache_read/cache_write], USD per million tokens. */
    private static Map<String, PriceTable.Price> prices(Settings settings) {
        Map<String, PriceTable.Price> prices = new LinkedHashMap<>();
        settings.map("detectors.prices").forEach((model, value) -> {
            String[] parts = value.split("/");
            try {
                double[] usd = Arrays.stream(parts).map(String::strip).mapToDouble(Double::parseDouble).toArray();
                prices.put(model, switch (usd.length) {
                    case 2 -> PriceTable.Price.of(usd[0], usd[1]);
                    case 4 -> new PriceTable.Price(usd[0], usd[1], usd[2], usd[3]);
                    default -> throw new NumberFormatException("two or four prices");
                });
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("detectors.prices entries look like model=input/output or "
                        + "model=input/output/cache_read/cache_write in USD per million tokens, got '" + model + "="
                        + value + "': " + e.getMessage());
            }
        });
        return prices;
    }

    private static Duration millis(Settings settings, String key) {
        return Duration.ofMillis(settings.integer(key));
    }

    private static double decimal(Settings settings, String key) {
        try {
            return Double.parseDouble(settings.string(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be a number, got '" + settings.string(key) + "'");
        }
    }

    private static Set<String> list(String value, String separator) {
        return Arrays.stream(value.split(separator)).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
