package dev.agentwatch.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * The log end offsets of every topic on the broker, summed over partitions: between two snapshots,
 * what the stack wrote to Kafka, records and transaction markers alike (each takes an offset, and
 * each is appended, fetched and skipped by every reader). Unlike a rate, the count per span does
 * not depend on how busy the machine is, so it shows a structural change even on a noisy VM.
 */
final class TopicTraffic {
    private final Map<String, Long> endOffsets;

    private TopicTraffic(Map<String, Long> endOffsets) {
        this.endOffsets = endOffsets;
    }

    static TopicTraffic snapshot(Admin admin) throws Exception {
        // The broker's own topics too: consumer offset commits and transaction states are writes.
        List<String> names = new ArrayList<>(admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                .get(60, TimeUnit.SECONDS));
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicDescription topic : admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS).values()) {
            topic.partitions().forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
        }
        Map<String, Long> offsets = new TreeMap<>();
        admin.listOffsets(latest).all().get(60, TimeUnit.SECONDS)
                .forEach((partition, info) -> offsets.merge(partition.topic(), info.offset(), Long::sum));
        return new TopicTraffic(offsets);
    }

    /**
     * One line: offsets written per span since {@code before}, in total and by topic (those above
     * 0.01 a span), largest first; the internal topics of the Kafka Streams applications whose ids
     * start with {@code applicationIdPrefix} named without that prefix.
     */
    String since(TopicTraffic before, long spans, String applicationIdPrefix) {
        Map<String, Double> perSpan = new TreeMap<>();
        endOffsets.forEach((topic, end) -> {
            double written = (end - before.endOffsets.getOrDefault(topic, 0L)) / (double) spans;
            if (written >= 0.01) {
                String name = topic.startsWith(applicationIdPrefix) ? topic.substring(applicationIdPrefix.length()) : topic;
                perSpan.put(name, written);
            }
        });
        double total = perSpan.values().stream().mapToDouble(Double::doubleValue).sum();
        String byTopic = perSpan.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "  Kafka offsets written per span (records and transaction markers): %.2f: %s",
                total, byTopic);
    }
}
