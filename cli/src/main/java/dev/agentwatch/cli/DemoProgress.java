package dev.agentwatch.cli;

import dev.agentwatch.demo.FleetProgress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The demo's live progress as two lines of text: a bar for the fleet's time, the fleet's rates
 * since the previous snapshot, its outcomes, and the findings so far by detector. Pure.
 */
final class DemoProgress {
    static final int BAR_WIDTH = 24;

    private DemoProgress() {
    }

    /**
     * @param now      the fleet now
     * @param before   the fleet at the previous update (for rates)
     * @param findings findings detected so far, by detector
     */
    static List<String> render(FleetProgress now, FleetProgress before, Map<String, Long> findings) {
        double seconds = Math.max(0.001, (now.elapsed().toMillis() - before.elapsed().toMillis()) / 1000.0);
        double runRate = (now.runs() - before.runs()) / seconds;
        double spanRate = (now.spans() - before.spans()) / seconds;
        double fraction = now.planned().isZero() ? 1
                : Math.min(1, (double) now.elapsed().toMillis() / now.planned().toMillis());
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        String phase = switch (now.phase()) {
            case STARTING -> "starting";
            case EMITTING -> "injecting failures";
            case COOLING_DOWN -> "outcomes draining";
            case DONE -> "fleet done";
        };
        String first = String.format(Locale.ROOT,
                "%s / %s [%s%s] %3d%%  %-18s runs %,d (%.1f/s)  spans %,d (%.0f/s)  outcomes %,d posted, %,d due",
                clock(now.elapsed()), clock(now.planned()), "#".repeat(filled), ".".repeat(BAR_WIDTH - filled),
                Math.round(fraction * 100), phase, now.runs(), runRate, now.spans(), spanRate, now.outcomesPosted(),
                now.outcomesPending());
        long total = findings.values().stream().mapToLong(Long::longValue).sum();
        String second = "    findings " + String.format(Locale.ROOT, "%,d", total) + (findings.isEmpty() ? ""
                : ": " + findings.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")));
        return List.of(first, second);
    }

    /** {@code m:ss}. */
    static String clock(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
