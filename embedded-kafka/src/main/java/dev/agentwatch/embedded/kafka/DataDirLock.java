package dev.agentwatch.embedded.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive claim on a data directory for one {@link EmbeddedKafka}, in this JVM and across
 * processes.
 *
 * <p>Kafka locks its log directories only once the broker half starts, after the controller half
 * has already opened the metadata log; a second broker on the same directory would touch that log
 * before failing. Taking this lock first keeps a second start away entirely.
 */
final class DataDirLock implements AutoCloseable {

    static final String FILE_NAME = ".agentwatch-embedded-kafka.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirLock acquire(Path dataDir) {
        Path dir = dataDir.toAbsolutePath();
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(dir, "another process");
            }
            return new DataDirLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw inUse(dir, "this JVM");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock dataDir " + dir + ": check that it is a writable directory", e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock on " + FILE_NAME, e);
        }
    }

    private static IllegalStateException inUse(Path dir, String holder) {
        return new IllegalStateException("dataDir " + dir + " is in use by another embedded Kafka in " + holder
                + ": close that one first, or give this broker its own dataDir");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Already failing with a more useful exception.
        }
    }
}
