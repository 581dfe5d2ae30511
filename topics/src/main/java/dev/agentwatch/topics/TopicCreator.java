package dev.agentwatch.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates missing topics; existing ones are left as they are, so it is safe to run at every
 * start-up of every instance.
 *
 * <p>It returns only once every partition of the topics takes writes. A broker announces a new
 * topic before it has opened the topic's partitions, and an idempotent producer whose first
 * request lands in between and whose next lands after loses the first request's records without
 * an error (KAFKA-15591, fixed in brokers from 4.5): a leader answering {@code ListOffsets} has
 * the partition open.
 */
public final class TopicCreator {
    private final int partitions;
    private final short replicationFactor;

    private TopicCreator(int partitions, short replicationFactor) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, got " + replicationFactor);
        }
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    public static TopicCreator of(int partitions, short replicationFactor) {
        return new TopicCreator(partitions, replicationFactor);
    }

    /** Creates what is missing of {@code topics}, waits until all of them take writes; returns the names it created. */
    public List<String> ensure(String bootstrapServers, Collection<Topic<?, ?>> topics) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000))) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?, ?> topic : topics) {
                if (!existing.contains(topic.name())) {
                    missing.add(new NewTopic(topic.name(), Optional.of(partitions), Optional.of(replicationFactor))
                            .configs(topic.topicConfig()));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
            awaitWritable(admin, topics.stream().map(Topic::name).toList());
            return missing.stream().map(NewTopic::name).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics, or reach their partition leaders, on " + bootstrapServers
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits until the leader of every partition of {@code names} answers. Right after a topic is
     * created, its leader may be known before the broker hosts the partition: that answer
     * ("does not host this topic-partition") is retried for up to a minute, like a leader not yet
     * elected, which the admin client retries by itself.
     */
    private static void awaitWritable(Admin admin, List<String> names)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS).forEach((name, description) ->
                        description.partitions().forEach(partition ->
                                latest.put(new TopicPartition(name, partition.partition()), OffsetSpec.latest())));
                admin.listOffsets(latest).all().get(60, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
