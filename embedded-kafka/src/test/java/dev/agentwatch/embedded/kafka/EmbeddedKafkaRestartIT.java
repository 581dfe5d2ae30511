package dev.agentwatch.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 150, unit = TimeUnit.SECONDS)
class EmbeddedKafkaRestartIT {

    private static final String TOPIC = "steps";
    private static final String GROUP = "detectors";

    @TempDir
    Path dataDir;

    @Test
    void topicRecordsAndCommittedOffsetsSurviveARestartOnTheSameDataDir() throws Exception {
        EmbeddedKafkaConfig config;
        String clusterId;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.of(dataDir).withFreePorts())) {
            config = kafka.config();
            clusterId = kafka.clusterId();
            TestClients.createTopic(kafka, TOPIC, 3);
            produce(kafka, "before-", 100);
            try (KafkaConsumer<String, String> consumer = TestClients.consumer(kafka, GROUP)) {
                consumer.subscribe(List.of(TOPIC));
                assertThat(TestClients.pollUntil(consumer, 100, Duration.ofSeconds(30))).hasSize(100);
                consumer.commitSync();
            }
            produce(kafka, "after-", 50);
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.start(config)) {
            assertThat(kafka.clusterId()).isEqualTo(clusterId);
            assertThat(kafka.bootstrapServers()).isEqualTo(config.bootstrapServers());
            try (Admin admin = TestClients.admin(kafka)) {
                assertThat(admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions()).hasSize(3);
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
                assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(100);
            }

            assertThat(TestClients.readAll(kafka, TOPIC, 150, Duration.ofSeconds(30)))
                    .extracting(ConsumerRecord::value)
                    .hasSize(150)
                    .containsAll(values("before-", 100))
                    .containsAll(values("after-", 50));

            try (KafkaConsumer<String, String> consumer = TestClients.consumer(kafka, GROUP)) {
                consumer.subscribe(List.of(TOPIC));
                assertThat(TestClients.pollUntil(consumer, 50, Duration.ofSeconds(30)))
                        .extracting(ConsumerRecord::value)
                        .containsExactlyInAnyOrderElementsOf(values("after-", 50));
            }
        }
    }

    private static void produce(EmbeddedKafka kafka, String prefix, int count) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = TestClients.idempotentProducer(kafka, Map.of())) {
            for (int i = 0; i < count; i++) {
                acks.add(producer.send(new ProducerRecord<>(TOPIC, Integer.toString(i), prefix + i)));
            }
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    private static List<String> values(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }
}
