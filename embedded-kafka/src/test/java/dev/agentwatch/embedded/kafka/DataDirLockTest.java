package dev.agentwatch.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {

    @TempDir
    Path dir;

    @Test
    void refusesASecondClaimOnTheSameDirectoryInThisJvm() {
        DataDirLock held = DataDirLock.acquire(dir);
        try {
            assertThatThrownBy(() -> DataDirLock.acquire(dir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use by another embedded Kafka in this JVM")
                    .hasMessageContaining("give this broker its own dataDir");
        } finally {
            held.close();
        }
    }

    @Test
    void canBeClaimedAgainAfterRelease() {
        DataDirLock.acquire(dir).close();

        DataDirLock.acquire(dir).close();

        assertThat(dir.resolve(DataDirLock.FILE_NAME)).exists();
    }

    @Test
    void createsAMissingDataDirectory() {
        DataDirLock.acquire(dir.resolve("new/kafka")).close();

        assertThat(dir.resolve("new/kafka")).isDirectory();
    }

    @Test
    void aHeldLockDoesNotStopTheFirstFormat() {
        DataDirLock held = DataDirLock.acquire(dir);
        try {
            assertThat(KafkaStorage.formatIfNeeded(dir).formattedNow()).isTrue();
        } finally {
            held.close();
        }
    }
}
