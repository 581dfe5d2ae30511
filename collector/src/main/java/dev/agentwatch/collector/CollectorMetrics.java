package dev.agentwatch.collector;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the collector accepted and refused, each refusal with its reason, exposed in
 * the Prometheus text format. We sell silent-failure detection: our own drops are visible.
 * Thread-safe.
 */
public final class CollectorMetrics {
    private final LongAdder spansAccepted = new LongAdder();
    private final LongAdder recordsPublished = new LongAdder();
    private final Map<String, LongAdder> spansRejected = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requestsRejected = new ConcurrentHashMap<>();
    private final LongAdder requestsAccepted = new LongAdder();

    public void accepted(int spans, int records) {
        requestsAccepted.increment();
        spansAccepted.add(spans);
        recordsPublished.add(records);
    }

    public void spansRejected(String reason, int spans) {
        spansRejected.computeIfAbsent(reason, r -> new LongAdder()).add(spans);
    }

    public void requestRejected(String reason) {
        requestsRejected.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public long spansAccepted() {
        return spansAccepted.sum();
    }

    public long spansRejected(String reason) {
        LongAdder adder = spansRejected.get(reason);
        return adder == null ? 0 : adder.sum();
    }

    public long requestsRejected(String reason) {
        LongAdder adder = requestsRejected.get(reason);
        return adder == null ? 0 : adder.sum();
    }

    /** Prometheus text exposition format 0.0.4. */
    public String prometheusText() {
        StringBuilder out = new StringBuilder();
        counter(out, "agentwatch_collector_requests_accepted_total", "OTLP requests answered with success",
                Map.of("", requestsAccepted.sum()));
        counter(out, "agentwatch_collector_spans_accepted_total", "spans acknowledged by Kafka",
                Map.of("", spansAccepted.sum()));
        counter(out, "agentwatch_collector_records_published_total", "Kafka records written (one per trace per request)",
                Map.of("", recordsPublished.sum()));
        counter(out, "agentwatch_collector_spans_rejected_total", "spans refused, by reason", sums(spansRejected));
        counter(out, "agentwatch_collector_requests_rejected_total", "requests refused, by reason", sums(requestsRejected));
        return out.toString();
    }

    private static Map<String, Long> sums(Map<String, LongAdder> adders) {
        Map<String, Long> sums = new TreeMap<>();
        adders.forEach((reason, adder) -> sums.put(reason, adder.sum()));
        return sums;
    }

    private static void counter(StringBuilder out, String name, String help, Map<String, Long> byReason) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        new TreeMap<>(byReason).forEach((reason, value) -> {
            out.append(name);
            if (!reason.isEmpty()) {
                out.append("{reason=\"").append(reason.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"}");
            }
            out.append(' ').append(value).append('\n');
        });
    }
}
