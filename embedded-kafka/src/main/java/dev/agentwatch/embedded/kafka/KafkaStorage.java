package dev.agentwatch.embedded.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats the broker's data directory the way {@code kafka-storage.sh format} does, once.
 *
 * <p>A directory holding {@code meta.properties} is already formatted: its cluster id is read
 * back and nothing is written, so records survive restarts.
 */
final class KafkaStorage {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStorage.class);

    /** Outcome of {@link #formatIfNeeded}. */
    record State(String clusterId, boolean formattedNow) {
    }

    private KafkaStorage() {
    }

    static State formatIfNeeded(Path dataDir) {
        Path dir = dataDir.toAbsolutePath();
        Optional<String> existing = existingClusterId(dir);
        if (existing.isPresent()) {
            return new State(existing.get(), false);
        }
        refuseForeignContent(dir);
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(printStream)
                    .setNodeId(BrokerProperties.NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(dir.toString())
                    .addDirectory(dir.toString())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("formatting Kafka storage in " + dir + " failed: " + e.getMessage(), e);
        }
        LOG.atDebug().addKeyValue("data_dir", dir).addKeyValue("formatter_output", output.toString(StandardCharsets.UTF_8).strip())
                .log("Kafka storage formatter finished");
        return new State(clusterId, true);
    }

    private static Optional<String> existingClusterId(Path dir) {
        if (!Files.exists(dir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
            return Optional.empty();
        }
        try {
            MetaPropertiesEnsemble ensemble = new MetaPropertiesEnsemble.Loader()
                    .addLogDirs(List.of(dir.toString()))
                    .addMetadataLogDir(dir.toString())
                    .load();
            return Optional.of(ensemble.clusterId().orElseThrow(() -> new IllegalStateException(
                    dir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME) + " has no cluster.id: "
                            + "restore it from a backup or delete " + dir + " to start with empty storage")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Kafka storage metadata in " + dir, e);
        }
    }

    // The formatter writes meta.properties last, so files without it mean a half-finished
    // format or a directory that belongs to something else; neither is safe to format over.
    private static void refuseForeignContent(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            List<Path> found = entries
                    .filter(entry -> !entry.getFileName().toString().equals(DataDirLock.FILE_NAME))
                    .limit(3)
                    .toList();
            if (!found.isEmpty()) {
                throw new IllegalStateException("dataDir " + dir + " is not empty but has no "
                        + MetaPropertiesEnsemble.META_PROPERTIES_NAME + " (found " + found + "): "
                        + "point dataDir at an empty or Kafka-formatted directory, or delete this one");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list dataDir " + dir, e);
        }
    }
}
