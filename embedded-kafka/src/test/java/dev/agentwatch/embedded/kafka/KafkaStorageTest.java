package dev.agentwatch.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaStorageTest {

    @TempDir
    Path dir;

    @Test
    void formatsAnEmptyDirectoryForNodeOneWithANewClusterId() {
        KafkaStorage.State state = KafkaStorage.formatIfNeeded(dir.resolve("kafka"));

        assertThat(state.formattedNow()).isTrue();
        assertThat(state.clusterId()).isNotBlank();
        assertThat(dir.resolve("kafka/meta.properties")).content()
                .contains("cluster.id=" + state.clusterId())
                .contains("node.id=1");
    }

    @Test
    void reusesTheStoredClusterIdInsteadOfFormattingAgain() {
        KafkaStorage.State first = KafkaStorage.formatIfNeeded(dir);

        KafkaStorage.State second = KafkaStorage.formatIfNeeded(dir);

        assertThat(second.formattedNow()).isFalse();
        assertThat(second.clusterId()).isEqualTo(first.clusterId());
    }

    @Test
    void refusesADirectoryWithForeignFilesAndNoMetaProperties() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "not Kafka");

        assertThatThrownBy(() -> KafkaStorage.formatIfNeeded(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not empty but has no meta.properties")
                .hasMessageContaining("point dataDir at an empty or Kafka-formatted directory");
    }
}
