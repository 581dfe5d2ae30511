package dev.agentwatch.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedKafkaStartupFailureIT {

    @TempDir
    Path dataDir;

    @Test
    void failsWithTheAddressWhenTheClientPortIsTakenAndCanStartAfterwards() throws Exception {
        EmbeddedKafkaConfig config;
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            config = FreePorts.resolve(EmbeddedKafkaConfig.of(dataDir).withPorts(squatter.getLocalPort(), 0));

            assertThatThrownBy(() -> EmbeddedKafka.start(config))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("embedded Kafka failed to start on " + config.bootstrapServers());
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.start(config)) {
            assertThat(kafka.bootstrapServers()).isEqualTo(config.bootstrapServers());
        }
    }

    @Test
    void refusesASecondBrokerOnADataDirThatIsInUse() {
        try (EmbeddedKafka running = EmbeddedKafka.start(EmbeddedKafkaConfig.of(dataDir).withFreePorts())) {
            assertThatThrownBy(() -> EmbeddedKafka.start(EmbeddedKafkaConfig.of(dataDir).withFreePorts()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use by another embedded Kafka in this JVM");

            assertThat(running.clusterId()).isNotBlank();
        }
    }
}
