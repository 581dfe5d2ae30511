package dev.agentwatch.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedKafkaIT {

    @TempDir
    static Path dataDir;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.of(dataDir).withFreePorts());
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void servesOnLoopbackAtTheResolvedPorts() {
        assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:").doesNotEndWith(":0");
        assertThat(kafka.config().controllerPort()).isPositive().isNotEqualTo(kafka.config().port());
        assertThat(kafka.clusterId()).isNotBlank();
    }

    @Test
    void recordsProducedIdempotentlyAreConsumedBackWithTheirValues() throws Exception {
        TestClients.createTopic(kafka, "runs", 3);
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = TestClients.idempotentProducer(kafka, Map.of())) {
            for (int i = 0; i < 300; i++) {
                acks.add(producer.send(new ProducerRecord<>("runs", "run-" + i, "value-" + i)));
            }
            producer.flush();
        }
        for (Future<RecordMetadata> ack : acks) {
            assertThat(ack.get().hasOffset()).isTrue();
        }

        List<ConsumerRecord<String, String>> records = TestClients.readAll(kafka, "runs", 300, Duration.ofSeconds(30));

        assertThat(records).hasSize(300)
                .allSatisfy(r -> assertThat(r.value()).isEqualTo("value-" + r.key().substring("run-".length())));
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(0, 1, 2);
    }

    @Test
    void topicsCreatedWithoutAPartitionCountGetTheConfiguredDefault() throws Exception {
        try (Admin admin = TestClients.admin(kafka)) {
            int partitions = admin.createTopics(List.of(new NewTopic("defaults", Optional.empty(), Optional.empty())))
                    .numPartitions("defaults").get();

            assertThat(partitions).isEqualTo(EmbeddedKafkaConfig.DEFAULT_PARTITIONS);
        }
    }

    @Test
    void producingToAnUnknownTopicDoesNotCreateIt() throws Exception {
        try (KafkaProducer<String, String> producer = TestClients.idempotentProducer(kafka,
                Map.of("max.block.ms", 2_000))) {
            Future<RecordMetadata> ack = producer.send(new ProducerRecord<>("never-created", "k", "v"));
            assertThat(ack).failsWithin(Duration.ofSeconds(10));
        }
        try (Admin admin = TestClients.admin(kafka)) {
            assertThat(admin.listTopics().names().get()).doesNotContain("never-created");
            assertThat(admin.describeTopics(List.of("never-created")).allTopicNames())
                    .failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(UnknownTopicOrPartitionException.class);
        }
    }
}
