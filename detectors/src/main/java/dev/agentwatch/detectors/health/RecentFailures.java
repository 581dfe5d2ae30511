package dev.agentwatch.detectors.health;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * When each named component (a pipeline, a sink) last failed and recovered by itself, kept for a
 * window: a component that keeps failing and recovering makes no progress and stays alive, the
 * kind of stall no other signal shows. Thread-safe.
 */
public final class RecentFailures {
    private static final int MAX_KEPT = 100;
    private final Duration window;
    private final Map<String, Deque<Long>> failures = new HashMap<>();

    public RecentFailures(Duration window) {
        this.window = window;
    }

    public synchronized void record(String component, long nowEpochMillis) {
        Deque<Long> times = failures.computeIfAbsent(component, c -> new ArrayDeque<>());
        times.addLast(nowEpochMillis);
        if (times.size() > MAX_KEPT) {
            times.removeFirst();
        }
    }

    /** Failures per component within the window before {@code nowEpochMillis}; components without any are left out. */
    public synchronized Map<String, Integer> within(long nowEpochMillis) {
        Map<String, Integer> counts = new TreeMap<>();
        failures.forEach((component, times) -> {
            times.removeIf(at -> at <= nowEpochMillis - window.toMillis());
            if (!times.isEmpty()) {
                counts.put(component, times.size());
            }
        });
        return counts;
    }
}
