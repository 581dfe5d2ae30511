package dev.agentwatch.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class FreePortsTest {

    private static final EmbeddedKafkaConfig CONFIG = EmbeddedKafkaConfig.of(Path.of("kafka-data"));

    @Test
    void replacesZeroPortsWithTwoDistinctFreePorts() {
        EmbeddedKafkaConfig resolved = FreePorts.resolve(CONFIG.withFreePorts());

        assertThat(resolved.port()).isPositive();
        assertThat(resolved.controllerPort()).isPositive().isNotEqualTo(resolved.port());
    }

    @Test
    void keepsPortsThatAreAlreadyConcrete() {
        EmbeddedKafkaConfig config = CONFIG.withPorts(19092, 0);

        EmbeddedKafkaConfig resolved = FreePorts.resolve(config);

        assertThat(resolved.port()).isEqualTo(19092);
        assertThat(resolved.controllerPort()).isPositive().isNotEqualTo(19092);
    }
}
