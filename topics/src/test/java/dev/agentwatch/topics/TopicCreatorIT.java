package dev.agentwatch.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.testkit.TestServices;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TopicCreator} against the real broker. */
@Timeout(180)
class TopicCreatorIT {
    private static final int PARTITIONS = 48;

    private static Topic<String, String> topic(String name) {
        return new Topic<>(name, Serdes.String(), Serdes.String(), Map.of());
    }

    @Test
    void createsOnlyWhatIsMissingWithTheAskedPartitions() throws Exception {
        Topic<String, String> first = topic(TestServices.uniqueName("creator-a"));
        Topic<String, String> second = topic(TestServices.uniqueName("creator-b"));
        String bootstrap = TestServices.kafkaBootstrap();

        assertThat(TopicCreator.of(2, (short) 1).ensure(bootstrap, List.of(first))).containsExactly(first.name());
        assertThat(TopicCreator.of(3, (short) 1).ensure(bootstrap, List.of(first, second))).containsExactly(second.name());

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var described = admin.describeTopics(List.of(first.name(), second.name())).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            assertThat(described.get(first.name()).partitions()).hasSize(2);
            assertThat(described.get(second.name()).partitions()).hasSize(3);
        }
    }

    /**
     * The broker learns of a new topic before it opens its partitions; an idempotent producer
     * whose first request arrives in between and whose second request arrives after loses the
     * first request's records (KAFKA-15591, fixed in brokers from 4.5). Topics handed back by
     * {@code ensure} take writes at once: every record of many small in-flight batches lands.
     */
    @Test
    void aFreshTopicTakesPipelinedIdempotentWritesOnEveryPartitionAtOnce() throws Exception {
        Topic<String, String> fresh = topic(TestServices.uniqueName("creator-fresh"));
        String bootstrap = TestServices.kafkaBootstrap();
        int perPartition = 20;
        TopicCreator.of(PARTITIONS, (short) 1).ensure(bootstrap, List.of(fresh));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.BATCH_SIZE_CONFIG, 64,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < perPartition; i++) {
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    acks.add(producer.send(new ProducerRecord<>(fresh.name(), partition, "k", "record " + i)));
                }
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(60, TimeUnit.SECONDS);
            }
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                latest.put(new TopicPartition(fresh.name(), partition), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
            assertThat(ends.values()).allSatisfy(end -> assertThat(end.offset()).isEqualTo(perPartition));
        }
    }
}
