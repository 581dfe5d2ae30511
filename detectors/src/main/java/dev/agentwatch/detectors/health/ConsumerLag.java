package dev.agentwatch.detectors.health;

import dev.agentwatch.model.PipelineMetric;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far each of our consumer groups is behind the end of its input topics, summed over
 * partitions: the one number that says whether the detectors keep up. Read with the admin
 * client; not thread-safe (one reporter thread uses it).
 */
public final class ConsumerLag implements AutoCloseable {
    private final Admin admin;
    private final List<String> groups;
    /** The last readings taken, for {@code GET /metrics}: scrapes never call the brokers. */
    private volatile List<PipelineMetric> latest = List.of();

    public ConsumerLag(String bootstrapServers, List<String> groups) {
        // The admin client refuses an API timeout below the request timeout (30 s by default).
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000));
        this.groups = List.copyOf(groups);
    }

    /** The readings of the last call of {@link #readings}, empty before it. Thread-safe. */
    public List<PipelineMetric> latest() {
        return latest;
    }

    /** One {@code consumer_lag} reading per group; groups that cannot be read now are left out. */
    public List<PipelineMetric> readings(String instance, long nowEpochMillis) {
        List<PipelineMetric> readings = read(instance, nowEpochMillis);
        latest = List.copyOf(readings);
        return readings;
    }

    private List<PipelineMetric> read(String instance, long nowEpochMillis) {
        List<PipelineMetric> readings = new ArrayList<>();
        for (String group : groups) {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
                long lag = 0;
                for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
                    ListOffsetsResultInfo end = ends.get(entry.getKey());
                    if (end != null && entry.getValue() != null) {
                        lag += Math.max(0, end.offset() - entry.getValue().offset());
                    }
                }
                readings.add(new PipelineMetric(nowEpochMillis, "detectors", instance, "consumer_lag", group, lag));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return readings;
            } catch (Exception e) {
                // A group that has not committed yet, or a broker hiccup: no reading this time.
            }
        }
        return readings;
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
