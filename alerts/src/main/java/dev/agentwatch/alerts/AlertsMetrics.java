package dev.agentwatch.alerts;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the notifier: findings routed, notifications decided and delivered per receiver,
 * retries, and everything dead-lettered by reason. Thread-safe.
 */
public final class AlertsMetrics {
    private final LongAdder findings = new LongAdder();
    private final LongAdder staleFindings = new LongAdder();
    private final Map<String, LongAdder> grouped = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> notifications = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> delivered = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> retries = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> deadLettered = new ConcurrentHashMap<>();

    void recordFinding() {
        findings.increment();
    }

    void recordStaleFinding() {
        staleFindings.increment();
    }

    void recordGrouped(String receiver) {
        increment(grouped, receiver);
    }

    void recordNotification(String receiver) {
        increment(notifications, receiver);
    }

    void recordDelivered(String receiver) {
        increment(delivered, receiver);
    }

    void recordRetry(String receiver) {
        increment(retries, receiver);
    }

    void recordDeadLetter(String reason) {
        increment(deadLettered, reason);
    }

    public long findings() {
        return findings.sum();
    }

    /** Findings skipped because they were detected longer than {@code max_finding_age} ago. */
    public long staleFindings() {
        return staleFindings.sum();
    }

    /** Alerts added to or updated in an aggregation group bound for {@code receiver}. */
    public long alertsGrouped(String receiver) {
        return sum(grouped, receiver);
    }

    public long notifications(String receiver) {
        return sum(notifications, receiver);
    }

    public long delivered(String receiver) {
        return sum(delivered, receiver);
    }

    public long retries(String receiver) {
        return sum(retries, receiver);
    }

    /** Dead-lettered findings and notifications with {@code reason} (e.g. {@code retries_exhausted}). */
    public long deadLettered(String reason) {
        return sum(deadLettered, reason);
    }

    public long deadLetteredTotal() {
        return deadLettered.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private static void increment(Map<String, LongAdder> counters, String key) {
        counters.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private static long sum(Map<String, LongAdder> counters, String key) {
        LongAdder adder = counters.get(key);
        return adder == null ? 0 : adder.sum();
    }
}
