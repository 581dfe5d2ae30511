package dev.agentwatch.testkit;

import dev.agentwatch.embedded.kafka.EmbeddedKafka;
import dev.agentwatch.embedded.kafka.EmbeddedKafkaConfig;
import java.nio.file.Path;

/**
 * A real broker of the test's own, on loopback, that the test may stop and start again on the
 * same ports and data directory. In every test-services mode: the shared broker cannot be
 * bounced under the other tests of the JVM, and a container comes back on other ports.
 */
public final class RestartableKafka implements AutoCloseable {
    private final EmbeddedKafkaConfig config;
    private final Path dataDir;
    private EmbeddedKafka broker;

    private RestartableKafka(EmbeddedKafka broker, Path dataDir) {
        this.broker = broker;
        this.dataDir = dataDir;
        // The ports actually bound, so that startAgain() comes back where clients look.
        this.config = broker.config();
    }

    public static RestartableKafka start() {
        Path dataDir = TestDirectories.create("agentwatch-test-restartable-kafka");
        return new RestartableKafka(EmbeddedKafka.start(EmbeddedKafkaConfig.of(dataDir).withFreePorts()), dataDir);
    }

    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    /** Stops the broker; clients see it gone until {@link #startAgain()}. */
    public synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public synchronized void startAgain() {
        if (broker == null) {
            broker = EmbeddedKafka.start(config);
        }
    }

    /** Stops the broker for good and deletes its data. */
    @Override
    public synchronized void close() {
        stop();
        TestDirectories.deleteRecursively(dataDir);
    }
}
