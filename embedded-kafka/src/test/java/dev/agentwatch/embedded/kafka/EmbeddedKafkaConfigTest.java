package dev.agentwatch.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class EmbeddedKafkaConfigTest {

    private static final Path DIR = Path.of("build-kafka-data");

    private static EmbeddedKafkaConfig config(String host, int port, int controllerPort, boolean allowNonLoopback) {
        return new EmbeddedKafkaConfig(DIR, host, port, controllerPort, 3, 24, 1L << 30, 60_000, allowNonLoopback);
    }

    @Test
    void defaultsToLoopbackOnStandardPortsWithThreePartitions() {
        EmbeddedKafkaConfig config = EmbeddedKafkaConfig.of(DIR);

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(9092);
        assertThat(config.controllerPort()).isEqualTo(9093);
        assertThat(config.defaultPartitions()).isEqualTo(3);
        assertThat(config.allowNonLoopbackHost()).isFalse();
        assertThat(config.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    }

    @Test
    void freePortsMeansBothPortsZero() {
        EmbeddedKafkaConfig config = EmbeddedKafkaConfig.of(DIR).withFreePorts();

        assertThat(config.port()).isZero();
        assertThat(config.controllerPort()).isZero();
    }

    @Test
    void refusesMissingDataDir() {
        assertThatThrownBy(() -> EmbeddedKafkaConfig.of(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("dataDir is required");
    }

    @Test
    void refusesBlankHost() {
        assertThatThrownBy(() -> config(" ", 9092, 9093, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host is blank: set it to a concrete address such as 127.0.0.1");
    }

    @Test
    void refusesNonLoopbackHostUnlessAllowed() {
        assertThatThrownBy(() -> config("10.1.2.3", 9092, 9093, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host '10.1.2.3' is not a loopback address")
                .hasMessageContaining("set allowNonLoopbackHost to expose it");

        assertThat(config("10.1.2.3", 9092, 9093, true).host()).isEqualTo("10.1.2.3");
    }

    @Test
    void acceptsIpv6LoopbackAndLocalhost() {
        assertThat(config("::1", 9092, 9093, false).host()).isEqualTo("::1");
        assertThat(config("localhost", 9092, 9093, false).host()).isEqualTo("localhost");
    }

    @Test
    void refusesWildcardHostEvenWhenExposureIsAllowed() {
        assertThatThrownBy(() -> config("0.0.0.0", 9092, 9093, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a wildcard address")
                .hasMessageContaining("use a concrete address such as 127.0.0.1");
    }

    @Test
    void refusesPortsOutsideTheValidRange() {
        assertThatThrownBy(() -> config("127.0.0.1", 70_000, 9093, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port is 70000: use 1-65535, or 0 to pick a free port at start");
        assertThatThrownBy(() -> config("127.0.0.1", 9092, -1, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("controllerPort is -1: use 1-65535, or 0 to pick a free port at start");
    }

    @Test
    void refusesTheSamePortForClientsAndController() {
        assertThatThrownBy(() -> config("127.0.0.1", 9092, 9092, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port and controllerPort are both 9092");
    }

    @Test
    void refusesFewerThanOneDefaultPartition() {
        assertThatThrownBy(() -> EmbeddedKafkaConfig.of(DIR).withDefaultPartitions(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("defaultPartitions is 0: set it to 1 or more");
    }

    @Test
    void refusesRetentionAndTimeoutsThatCannotWork() {
        assertThatThrownBy(() -> new EmbeddedKafkaConfig(DIR, "127.0.0.1", 9092, 9093, 3, 0, 1L << 30, 60_000, false))
                .hasMessage("logRetentionHours is 0: set it to 1 or more");
        assertThatThrownBy(() -> new EmbeddedKafkaConfig(DIR, "127.0.0.1", 9092, 9093, 3, 24, 1000, 60_000, false))
                .hasMessage("logRetentionBytesPerPartition is 1000: set it to at least 1048576 (1 MiB)");
        assertThatThrownBy(() -> new EmbeddedKafkaConfig(DIR, "127.0.0.1", 9092, 9093, 3, 24, 1L << 30, 0, false))
                .hasMessage("startupTimeoutMillis is 0: set it to a positive number of milliseconds");
    }
}
