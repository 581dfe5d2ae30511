package dev.agentwatch.detectors.detect;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunStatus;
import dev.agentwatch.model.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Error-rate spikes per (tenant, agent), all versions together (a bad deploy is exactly what it
 * should catch). Runs are counted per minute of their close (event time), the order in which
 * they arrive: a run that never finished closes only an inactivity gap after its last step, and
 * counted by its end it would always belong to a minute judged long before. A run fails when its
 * root failed, it never finished, or any step failed. When the first run of a later minute
 * arrives, the finished minute is judged against the baseline failure rate (an exponentially
 * weighted mean over earlier minutes with at least {@code minRuns} runs): it spikes when its rate
 * exceeds the baseline by {@code minIncrease} and by {@code sigmas} binomial standard deviations.
 * Nothing fires before {@code minBaselineMinutes} minutes were learned; a spiking minute is not
 * learned. A run closed in a minute already judged (another partition a little behind) counts in
 * the minute being counted.
 */
public final class ErrorRateSpikeDetector implements Detector<ErrorRateSpikeDetector.State, Run> {
    public static final String NAME = "error_rate_spike";
    private static final long MINUTE_MILLIS = 60_000L;
    private static final long MINUTE_NANOS = MINUTE_MILLIS * 1_000_000L;

    /**
     * @param minRuns             runs a minute needs to be judged or learned
     * @param minBaselineMinutes  minutes learned before any finding
     * @param minIncrease         absolute increase of the rate over the baseline (0..1)
     * @param sigmas              binomial standard deviations over the baseline
     * @param alpha               weight of a new minute in the baseline once warm
     */
    public record Config(int minRuns, int minBaselineMinutes, double minIncrease, double sigmas, double alpha) {
        public Config {
            if (minRuns < 1 || minBaselineMinutes < 1 || !(minIncrease > 0 && minIncrease < 1) || !(sigmas > 0)
                    || !(alpha > 0 && alpha < 1)) {
                throw new IllegalArgumentException("error spike config: minRuns >= 1, minBaselineMinutes >= 1, "
                        + "0 < minIncrease < 1, sigmas > 0, 0 < alpha < 1");
            }
        }

        public static Config defaults() {
            return new Config(10, 5, 0.2, 3.0, 0.1);
        }
    }

    /**
     * @param minute           minute being counted (epoch minutes), -1 before the first run
     * @param runs             runs in that minute
     * @param failed           failed runs in that minute
     * @param agentVersion     version of the latest run counted
     * @param baselineRate     learned failure rate
     * @param baselineMinutes  minutes learned
     */
    public record State(long minute, long runs, long failed, String agentVersion, double baselineRate,
                        long baselineMinutes) {
        public static final State EMPTY = new State(-1, 0, 0, "", 0, 0);

        public State {
            Objects.requireNonNull(agentVersion, "agentVersion");
        }
    }

    private final Config config;

    public ErrorRateSpikeDetector(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public State initialState() {
        return State.EMPTY;
    }

    @Override
    public Detection<State> apply(State state, Run run) {
        long minute = Math.floorDiv(run.closedAtEpochMillis(), MINUTE_MILLIS);
        int failed = failed(run) ? 1 : 0;
        if (minute <= state.minute()) {
            // A run of an earlier minute (another partition behind) does not name the version now running.
            String version = minute == state.minute() ? run.agentVersion() : state.agentVersion();
            return Detection.nothing(new State(state.minute(), state.runs() + 1, state.failed() + failed, version,
                    state.baselineRate(), state.baselineMinutes()));
        }
        List<Finding> findings = state.minute() < 0 ? List.of() : judge(state, run);
        boolean spiked = !findings.isEmpty();
        double rate = state.runs() == 0 ? 0 : (double) state.failed() / state.runs();
        double baseline = state.baselineRate();
        long learned = state.baselineMinutes();
        if (state.runs() >= config.minRuns() && !spiked) {
            double weight = Math.max(config.alpha(), 1.0 / (learned + 1));
            baseline += weight * (rate - baseline);
            learned++;
        }
        return Detection.of(new State(minute, 1, failed, run.agentVersion(), baseline, learned), findings);
    }

    private List<Finding> judge(State minute, Run next) {
        if (minute.baselineMinutes() < config.minBaselineMinutes() || minute.runs() < config.minRuns()) {
            return List.of();
        }
        double rate = (double) minute.failed() / minute.runs();
        double p = minute.baselineRate();
        double deviation = Math.sqrt(Math.max(p * (1 - p), 0.01) / minute.runs());
        double limit = p + Math.max(config.minIncrease(), config.sigmas() * deviation);
        if (rate <= limit) {
            return List.of();
        }
        long minuteStartNanos = minute.minute() * MINUTE_NANOS;
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("minute_start_epoch_ms", Long.toString(minuteStartNanos / 1_000_000));
        evidence.put("runs", Long.toString(minute.runs()));
        evidence.put("failed_runs", Long.toString(minute.failed()));
        evidence.put("failure_rate", String.format(Locale.ROOT, "%.3f", rate));
        evidence.put("baseline_rate", String.format(Locale.ROOT, "%.3f", p));
        evidence.put("limit", String.format(Locale.ROOT, "%.3f", limit));
        evidence.put("baseline_minutes", Long.toString(minute.baselineMinutes()));
        String agent = next.agentName();
        return List.of(new Finding(Fingerprint.of(next.tenant(), agent, NAME, Long.toString(minute.minute())), NAME,
                Severity.ERROR, next.tenant(), agent, minute.agentVersion(), "", "", "",
                String.format(Locale.ROOT, "%.0f%% of %s's runs failed in one minute, baseline %.0f%%", rate * 100,
                        agent.isEmpty() ? "the agent" : agent, p * 100),
                minuteStartNanos + MINUTE_NANOS - 1, 0L, evidence, Map.of()));
    }

    static boolean failed(Run run) {
        return run.status() != RunStatus.OK || run.errors() > 0;
    }
}
