package dev.agentwatch.collector;

import dev.agentwatch.model.PipelineMetric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counters of what the collector accepted and refused, each refusal with its reason, exposed in
 * the Prometheus text format. We sell silent-failure detection: our own drops are visible.
 * Thread-safe.
 */
public final class CollectorMetrics {
    private final LongAdder spansAccepted = new LongAdder();
    private final LongAdder recordsPublished = new LongAdder();
    private final LongAdder requestsAccepted = new LongAdder();
    private final LongAdder outcomesAccepted = new LongAdder();
    private final LongAdder protobufFullParses = new LongAdder();
    private final Map<String, LongAdder> spansRejected = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requestsRejected = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outcomesRejected = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> kafkaErrors = new ConcurrentHashMap<>();
    private final AtomicLong lastKafkaErrorMillis = new AtomicLong();
    private final AtomicLong lastKafkaSuccessMillis = new AtomicLong();
    private volatile LongSupplier requestsInFlight = () -> 0;
    private volatile LongSupplier bytesInFlight = () -> 0;

    /** A trace export stored: {@code spans} spans in {@code records} Kafka records. */
    public void accepted(int spans, int records) {
        requestsAccepted.increment();
        spansAccepted.add(spans);
        recordsPublished.add(records);
        if (records > 0) {
            lastKafkaSuccessMillis.set(System.currentTimeMillis());
        }
    }

    /** A protobuf request that needed the full parser (unusual fields or malformed), not the wire split. */
    public void protobufParsedInFull() {
        protobufFullParses.increment();
    }

    public long protobufFullParses() {
        return protobufFullParses.sum();
    }

    public void spansRejected(String reason, int spans) {
        spansRejected.computeIfAbsent(reason, r -> new LongAdder()).add(spans);
    }

    public void requestRejected(String reason) {
        requestsRejected.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public void outcomesAccepted(int outcomes) {
        outcomesAccepted.add(outcomes);
        lastKafkaSuccessMillis.set(System.currentTimeMillis());
    }

    public void outcomesRejected(String reason, int outcomes) {
        outcomesRejected.computeIfAbsent(reason, r -> new LongAdder()).add(outcomes);
    }

    /** Kafka did not acknowledge (timeout) or refused (exception simple name). */
    public void kafkaError(String type) {
        kafkaErrors.computeIfAbsent(type, r -> new LongAdder()).increment();
        lastKafkaErrorMillis.set(System.currentTimeMillis());
    }

    void inFlight(LongSupplier requests, LongSupplier bytes) {
        this.requestsInFlight = requests;
        this.bytesInFlight = bytes;
    }

    public long spansAccepted() {
        return spansAccepted.sum();
    }

    public long spansRejected(String reason) {
        return sum(spansRejected, reason);
    }

    public long requestsRejected(String reason) {
        return sum(requestsRejected, reason);
    }

    public long outcomesAccepted() {
        return outcomesAccepted.sum();
    }

    public long outcomesRejected(String reason) {
        return sum(outcomesRejected, reason);
    }

    public long kafkaErrors() {
        return kafkaErrors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long requestsInFlight() {
        return requestsInFlight.getAsLong();
    }

    public long bytesInFlight() {
        return bytesInFlight.getAsLong();
    }

    /** True when the latest Kafka outcome (error or success) was an error. */
    public boolean kafkaFailing() {
        return lastKafkaErrorMillis.get() > lastKafkaSuccessMillis.get();
    }

    public long lastKafkaErrorEpochMillis() {
        return lastKafkaErrorMillis.get();
    }

    private static long sum(Map<String, LongAdder> adders, String reason) {
        LongAdder adder = adders.get(reason);
        return adder == null ? 0 : adder.sum();
    }

    /** Prometheus text exposition format 0.0.4. */
    public String prometheusText() {
        StringBuilder out = new StringBuilder();
        metric(out, "counter", "agentwatch_collector_requests_accepted_total", "OTLP trace requests answered with success",
                Map.of("", requestsAccepted.sum()));
        metric(out, "counter", "agentwatch_collector_spans_accepted_total", "spans acknowledged by Kafka",
                Map.of("", spansAccepted.sum()));
        metric(out, "counter", "agentwatch_collector_records_published_total",
                "otlp_spans records written (one per trace per request)", Map.of("", recordsPublished.sum()));
        metric(out, "counter", "agentwatch_collector_protobuf_full_parses_total",
                "protobuf trace requests parsed in full rather than split on the wire (unusual fields, or malformed)",
                Map.of("", protobufFullParses.sum()));
        metric(out, "counter", "agentwatch_collector_spans_rejected_total", "spans refused, by reason", sums(spansRejected));
        metric(out, "counter", "agentwatch_collector_requests_rejected_total", "requests refused, by reason",
                sums(requestsRejected));
        metric(out, "counter", "agentwatch_collector_outcomes_accepted_total", "outcomes acknowledged by Kafka",
                Map.of("", outcomesAccepted.sum()));
        metric(out, "counter", "agentwatch_collector_outcomes_rejected_total", "outcomes refused, by reason",
                sums(outcomesRejected));
        metric(out, "counter", "agentwatch_collector_kafka_errors_total", "Kafka sends that failed or timed out, by reason",
                sums(kafkaErrors));
        metric(out, "gauge", "agentwatch_collector_requests_in_flight", "requests being processed",
                Map.of("", requestsInFlight()));
        metric(out, "gauge", "agentwatch_collector_bytes_in_flight", "decoded bytes held by requests being processed",
                Map.of("", bytesInFlight()));
        return out.toString();
    }

    /** The same counters as readings for the Pipeline health dashboard. */
    public List<PipelineMetric> readings(String instance, long nowEpochMillis) {
        List<PipelineMetric> readings = new ArrayList<>();
        BiConsumer<String, Map<String, Long>> add = (metric, byReason) -> byReason.forEach((reason, value) ->
                readings.add(new PipelineMetric(nowEpochMillis, "collector", instance, metric, reason, value)));
        add.accept("spans_accepted", Map.of("", spansAccepted.sum()));
        add.accept("outcomes_accepted", Map.of("", outcomesAccepted.sum()));
        add.accept("spans_rejected", sums(spansRejected));
        add.accept("requests_rejected", sums(requestsRejected));
        add.accept("outcomes_rejected", sums(outcomesRejected));
        add.accept("kafka_errors", sums(kafkaErrors));
        add.accept("requests_in_flight", Map.of("", requestsInFlight()));
        return readings;
    }

    private static Map<String, Long> sums(Map<String, LongAdder> adders) {
        Map<String, Long> sums = new TreeMap<>();
        adders.forEach((reason, adder) -> sums.put(reason, adder.sum()));
        return sums;
    }

    private static void metric(StringBuilder out, String type, String name, String help, Map<String, Long> byReason) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        new TreeMap<>(byReason).forEach((reason, value) -> {
            out.append(name);
            if (!reason.isEmpty()) {
                out.append("{reason=\"").append(reason.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"}");
            }
            out.append(' ').append(value).append('\n');
        });
    }
}
