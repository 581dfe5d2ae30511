package dev.agentwatch.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {

    private static final EmbeddedKafkaConfig CONFIG =
            EmbeddedKafkaConfig.of(Path.of("kafka-data")).withPorts(19092, 19093).withDefaultPartitions(4);

    @Test
    void everyPropertyIsASettingKafkaKnows() {
        assertThat(KafkaConfig.configDef().names()).containsAll(BrokerProperties.of(CONFIG).keySet());
    }

    @Test
    void kafkaAcceptsThePropertiesAsACombinedSingleNode() {
        KafkaConfig kafkaConfig = new KafkaConfig(BrokerProperties.of(CONFIG), false);

        assertThat(kafkaConfig.nodeId()).isEqualTo(1);
        assertThat(kafkaConfig.getInt("num.partitions")).isEqualTo(4);
        assertThat(kafkaConfig.getBoolean("auto.create.topics.enable")).isFalse();
        assertThat(kafkaConfig.metadataLogDir()).isEqualTo(Path.of("kafka-data").toAbsolutePath().toString());
    }

    @Test
    void advertisesOnlyTheClientListener() {
        Map<String, String> props = BrokerProperties.of(CONFIG);

        assertThat(props).containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:19092")
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:19093")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0");
    }

    @Test
    void refusesUnresolvedPorts() {
        assertThatThrownBy(() -> BrokerProperties.of(CONFIG.withFreePorts()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ports must be resolved");
    }
}
