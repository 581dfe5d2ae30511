package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Severity;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The agent stage: input keyed by tenant and agent, one {@link RateDelta} per change of a run's
 * contribution. Keeps the agent's {@link AgentRateHistory} and reports a
 * {@value RunReconciler#RATE_SPIKE} finding when the window ending with the changed hour is
 * significantly above the agent's baseline.
 */
final class RateSpikeProcessor implements Processor<String, RateDelta, String, Object> {
    private final OutcomeReconciliationConfig config;
    private final RateSpikeTest test;
    private final Clock clock;
    private final OutcomeMetrics metrics;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, AgentRateHistory> histories;

    RateSpikeProcessor(OutcomeReconciliationConfig config, Clock clock, OutcomeMetrics metrics) {
        this.config = config;
        this.test = new RateSpikeTest(config.minWindowRuns(), config.minBaselineRuns());
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.histories = context.getStateStore(OutcomeReconciliationTopology.RATE_STORE);
    }

    @Override
    public void process(Record<String, RateDelta> record) {
        RateDelta delta = record.value();
        if (delta == null) {
            metrics.count("rates.ignored.null");
            return;
        }
        AgentRateHistory stored = histories.get(record.key());
        AgentRateHistory history = stored == null ? AgentRateHistory.empty() : stored;
        if (!history.keeps(delta.hourStartMillis(), config.rateWindow(), config.rateBaseline())) {
            metrics.count("rates.ignored.too_old");
            return;
        }
        history = history.apply(delta, config.rateWindow(), config.rateBaseline());
        // Every change is evaluated, not only new failures: more runs in a window narrow its interval.
        if (delta.runs() > 0 || delta.silentFailures() > 0) {
            Optional<AgentRateHistory.Spike> spike = history.spikeEndingAt(delta.hourStartMillis(), config.rateWindow(),
                    config.rateBaseline(), test);
            if (spike.isPresent()) {
                Finding finding = finding(delta, spike.get());
                context.forward(new Record<>(finding.fingerprint(), finding, record.timestamp()));
                metrics.count("findings", RunReconciler.RATE_SPIKE);
                history = history.withSpikeReported(spike.get().windowEndMillis());
            }
        }
        histories.put(record.key(), history);
    }

    private Finding finding(RateDelta delta, AgentRateHistory.Spike spike) {
        WilsonInterval window = spike.result().window();
        WilsonInterval baseline = spike.result().baseline();
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("window_start", Instant.ofEpochMilli(spike.windowStartMillis()).toString());
        evidence.put("window_end", Instant.ofEpochMilli(spike.windowEndMillis()).toString());
        evidence.put("window_runs", Long.toString(window.trials()));
        evidence.put("window_silent_failures", Long.toString(window.successes()));
        evidence.put("window_rate", percent(window.rate()));
        evidence.put("window_ci95", percent(window.lower()) + ".." + percent(window.upper()));
        evidence.put("baseline_runs", Long.toString(baseline.trials()));
        evidence.put("baseline_silent_failures", Long.toString(baseline.successes()));
        evidence.put("baseline_rate", percent(baseline.rate()));
        evidence.put("baseline_ci95", percent(baseline.lower()) + ".." + percent(baseline.upper()));
        evidence.put("latest_version", delta.agentVersion());
        evidence.put("latest_run_id", delta.runId());
        String summary = delta.agentName() + ": silent-failure rate " + percent(window.rate()) + " ("
                + window.successes() + "/" + window.trials() + ") over " + config.rateWindow().toHours()
                + " h, baseline " + percent(baseline.rate()) + " (" + baseline.successes() + "/" + baseline.trials() + ")";
        return new Finding(Fingerprints.of(RunReconciler.RATE_SPIKE, delta.tenant(), delta.agentName(),
                Long.toString(spike.windowEndMillis())), RunReconciler.RATE_SPIKE, Severity.CRITICAL, delta.tenant(),
                delta.agentName(), "", "", "", "", summary, spike.windowEndMillis() * 1_000_000, clock.millis(), evidence,
                Map.of());
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }
}
