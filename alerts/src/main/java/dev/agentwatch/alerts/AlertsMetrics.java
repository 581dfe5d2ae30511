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

    /** Prometheus text exposition format 0.0.4, served at {@code GET /metrics} beside the silences API. */
    public String prometheusText() {
        StringBuilder out = new StringBuilder();
        metric(out, "agentwatch_alerts_findings_total", "findings turned into alerts", "", Map.of("", findings));
        metric(out, "agentwatch_alerts_findings_stale_total", "findings skipped as older than max_finding_age", "",
                Map.of("", staleFindings));
        metric(out, "agentwatch_alerts_alerts_grouped_total", "alerts added to or updated in a group, by receiver", "receiver",
                grouped);
        metric(out, "agentwatch_alerts_notifications_total", "notifications decided, by receiver", "receiver", notifications);
        metric(out, "agentwatch_alerts_notifications_delivered_total", "notifications delivered (2xx), by receiver", "receiver",
                delivered);
        metric(out, "agentwatch_alerts_delivery_retries_total", "delivery attempts retried, by receiver", "receiver", retries);
        metric(out, "agentwatch_alerts_dead_letters_total", "findings and notifications given up on, by reason", "reason",
                deadLettered);
        return out.toString();
    }

    private static void metric(StringBuilder out, String name, String help, String label, Map<String, LongAdder> values) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        new java.util.TreeMap<>(values).forEach((key, adder) -> {
            out.append(name);
            if (!label.isEmpty()) {
                out.append('{').append(label).append("=\"").append(key.replace("\\", "\\\\").replace("\"", "\\\""))
                        .append("\"}");
            }
            out.append(' ').append(adder.sum()).append('\n');
        });
    }

    private static void increment(Map<String, LongAdder> counters, String key) {
        counters.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private static long sum(Map<String, LongAdder> counters, String key) {
        LongAdder adder = counters.get(key);
        return adder == null ? 0 : adder.sum();
    }
}
