package dev.agentwatch.cli;

import dev.agentwatch.demo.AgentKind;
import dev.agentwatch.demo.JudgeVerdict;
import dev.agentwatch.demo.RunPlanner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings the demo puts in force over the user's, because time is compressed and the fleet's
 * agents are known. Event-time durations are scaled so that they mean the same wall-clock time as
 * in production: the demo never changes the production defaults.
 *
 * <h2>Why these values</h2>
 * <ul>
 *   <li>Inactivity gap: a run without a root closes once the partition's event time passed its
 *       last step by the gap. Event time runs {@code compression} times faster than the wall clock,
 *       so the default 5 minutes would be a few milliseconds of wall time, shorter than the spread
 *       of one run's spans over two export batches; {@value #GAP_WALL_SECONDS} s of wall time is
 *       well above it. The fleet's cooldown traffic keeps event time moving so that the last
 *       unfinished runs still close.</li>
 *   <li>Late-step retention and the metrics grace cover at least twice that gap, as the detectors
 *       require.</li>
 *   <li>Tool policy: the SRE agent is read-only and the fleet's write tools are write-capable.</li>
 *   <li>Judge approval threshold: the fleet's judge passes a run at {@link JudgeVerdict#CONFIDENT}.</li>
 *   <li>Outcome retention: covers the whole simulated span, see {@link #outcomeRetentionDays}.</li>
 *   <li>Silent-failure rate spikes: windows of a simulated day against the fleet's first days,
 *       with minimum counts a demo-sized fleet reaches.</li>
 * </ul>
 */
final class DemoSettings {
    static final int GAP_WALL_SECONDS = 3;

    private DemoSettings() {
    }

    /** Settings for {@code options}' demo, with its data in {@code dataDir}. */
    static Map<String, String> tuned(DemoOptions options, Path dataDir, Settings user) {
        double compression = options.compression();
        long gapMillis = inactivityGap(compression).toMillis();
        Map<String, String> tuned = new LinkedHashMap<>();
        tuned.put("data.dir", dataDir.toString());
        tuned.put("detectors.application.id", user.string("detectors.application.id") + "-demo");
        tuned.put("alerts.application.id", user.string("alerts.application.id") + "-demo");
        tuned.put("detectors.run.inactivity.gap.ms", Long.toString(gapMillis));
        tuned.put("detectors.run.closed.retention.ms", Long.toString(Math.max(3_600_000L, 2 * gapMillis)));
        tuned.put("detectors.metrics.grace.ms", Long.toString(Math.max(600_000L, 2 * gapMillis)));
        tuned.put("detectors.policy.read.only.agents", AgentKind.SRE.agentName());
        tuned.put("detectors.policy.write.tools", String.join(",", RunPlanner.SRE_WRITE_TOOLS));
        tuned.put("outcomes.judge.approval.threshold", Double.toString(JudgeVerdict.CONFIDENT));
        tuned.put("outcomes.retention.days", Long.toString(outcomeRetentionDays(options)));
        tuned.put("outcomes.rate.window.hours", "24");
        tuned.put("outcomes.rate.baseline.hours", "96");
        tuned.put("outcomes.rate.min.window.runs", "10");
        tuned.put("outcomes.rate.min.baseline.runs", "30");
        return tuned;
    }

    /**
     * Days a run waits for its outcomes: the default 30, or more when the fleet's simulated span
     * (with room for a cooldown that outlasts its plan) plus the longest outcome delay is longer.
     * Run times lie in the simulated past while outcomes are stamped when received, so a shorter
     * retention would forget the first runs before their outcomes come.
     */
    static long outcomeRetentionDays(DemoOptions options) {
        Duration after = options.outcomeDrain().compareTo(cooldown()) >= 0 ? options.outcomeDrain() : cooldown();
        double spanDays = options.duration().plus(after).toMillis() * options.compression() * 1.5 / 86_400_000.0;
        return Math.max(30, (long) Math.ceil(spanDays) + RunPlanner.maxOutcomeDelay().toDays() + 1);
    }

    /** The run inactivity gap in event time: {@value #GAP_WALL_SECONDS} s of wall time, at least the default 5 min. */
    static Duration inactivityGap(double compression) {
        long millis = Math.round(GAP_WALL_SECONDS * 1000.0 * compression);
        return Duration.ofMillis(Math.max(300_000L, Math.min(millis, Integer.MAX_VALUE / 2)));
    }

    /**
     * How long the fleet keeps clean traffic flowing after its duration, at least: twice the gap
     * in wall time plus a margin, so that the last unfinished runs close.
     */
    static Duration cooldown() {
        return Duration.ofSeconds(2L * GAP_WALL_SECONDS + 4);
    }
}
