package dev.agentwatch.detectors.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Where each consumer group stands on a topic against its committed end (last stable offset) and
 * its high watermark: what a test prints when a pipeline stops short, to tell a stuck transaction
 * (LSO below HWM) from a stuck consumer (committed below LSO).
 */
final class KafkaProgress {
    private KafkaProgress() {
    }

    static String describe(String bootstrap, String topic, int partitions, List<String> groups) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> stable = ends(admin, all, IsolationLevel.READ_COMMITTED);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> high = ends(admin, all, IsolationLevel.READ_UNCOMMITTED);
            StringBuilder out = new StringBuilder(topic).append(":\n");
            for (TopicPartition partition : all) {
                out.append("  partition ").append(partition.partition()).append(" lso=").append(stable.get(partition).offset())
                        .append(" hwm=").append(high.get(partition).offset());
                for (String group : groups) {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata().get();
                    OffsetAndMetadata offset = committed.get(partition);
                    out.append(' ').append(group).append('=').append(offset == null ? "none" : offset.offset());
                }
                out.append('\n');
            }
            return out.toString();
        } catch (ExecutionException | RuntimeException e) {
            return topic + ": could not describe (" + e + ")\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return topic + ": interrupted\n";
        }
    }

    private static Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends(
            Admin admin, List<TopicPartition> partitions, IsolationLevel isolation)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        for (TopicPartition partition : partitions) {
            latest.put(partition, OffsetSpec.latest());
        }
        return admin.listOffsets(latest, new ListOffsetsOptions(isolation)).all().get();
    }
}
