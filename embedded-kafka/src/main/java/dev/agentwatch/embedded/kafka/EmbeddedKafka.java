package dev.agentwatch.embedded.kafka;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, unmodified Apache Kafka broker running in this JVM: one KRaft node acting as broker
 * and controller, listening on loopback.
 *
 * <p>{@link #start} formats the data directory on first use (as {@code kafka-storage.sh format}
 * does), starts the server and returns once it answers an Admin {@code describeCluster}.
 * {@link #close} shuts it down in a controlled way and waits, so acknowledged records are on
 * disk; calling {@link #start} again with {@link #config()} brings the same broker back at the
 * same address, with its topics, records and committed offsets, also within the same JVM.
 * While it runs, the broker holds a lock on its data directory; a second start on the same
 * directory fails fast instead of touching the running broker's metadata log.
 *
 * <p>Thread-safe. {@link #close} is idempotent. The caller owns the lifetime: register a JVM
 * shutdown hook that calls {@link #close} if the process may exit while the broker runs.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final EmbeddedKafkaConfig config;
    private final String clusterId;
    private final KafkaRaftServer server;
    private final DataDirLock lock;
    private boolean closed;

    private EmbeddedKafka(EmbeddedKafkaConfig config, String clusterId, KafkaRaftServer server, DataDirLock lock) {
        this.config = config;
        this.clusterId = clusterId;
        this.server = server;
        this.lock = lock;
    }

    /**
     * Formats {@code config.dataDir()} if it is not formatted yet, starts the broker and waits until
     * it serves clients, at most {@code config.startupTimeoutMillis()}.
     *
     * @throws IllegalStateException if storage cannot be prepared or the broker does not come up in
     *     time; a half-started broker is shut down first
     */
    public static EmbeddedKafka start(EmbeddedKafkaConfig requested) {
        long startNanos = System.nanoTime();
        EmbeddedKafkaConfig config = FreePorts.resolve(requested);
        LOG.atInfo().addKeyValue("data_dir", config.dataDir().toAbsolutePath())
                .addKeyValue("bootstrap_servers", config.bootstrapServers())
                .addKeyValue("controller_port", config.controllerPort())
                .log("starting embedded Kafka");
        DataDirLock lock = DataDirLock.acquire(config.dataDir());
        try {
            return startLocked(config, lock, startNanos);
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    private static EmbeddedKafka startLocked(EmbeddedKafkaConfig config, DataDirLock lock, long startNanos) {
        long deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(config.startupTimeoutMillis());
        KafkaStorage.State storage = KafkaStorage.formatIfNeeded(config.dataDir());
        LOG.atInfo().addKeyValue("cluster_id", storage.clusterId())
                .addKeyValue("formatted_now", storage.formattedNow())
                .addKeyValue("storage_ms", millisSince(startNanos))
                .log(storage.formattedNow() ? "formatted Kafka storage" : "reusing formatted Kafka storage");

        KafkaRaftServer server;
        try {
            server = new KafkaRaftServer(new KafkaConfig(BrokerProperties.of(config), false), Time.SYSTEM);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Kafka refused its configuration or the storage in "
                    + config.dataDir().toAbsolutePath() + ": " + e.getMessage(), e);
        }
        try {
            startup(server, deadlineNanos);
            BrokerReadiness.await(config.bootstrapServers(), deadlineNanos);
        } catch (TimeoutException e) {
            shutdownQuietly(server);
            throw new IllegalStateException("embedded Kafka did not become ready within "
                    + config.startupTimeoutMillis() + " ms: " + e.getMessage()
                    + "; check the Kafka log lines above, or raise startupTimeoutMillis", e);
        } catch (InterruptedException e) {
            shutdownQuietly(server);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting embedded Kafka", e);
        } catch (RuntimeException e) {
            shutdownQuietly(server);
            throw new IllegalStateException("embedded Kafka failed to start on " + config.bootstrapServers()
                    + " (controller port " + config.controllerPort() + "): " + e.getMessage(), e);
        }
        LOG.atInfo().addKeyValue("bootstrap_servers", config.bootstrapServers())
                .addKeyValue("cluster_id", storage.clusterId())
                .addKeyValue("startup_ms", millisSince(startNanos))
                .log("embedded Kafka ready");
        return new EmbeddedKafka(config, storage.clusterId(), server, lock);
    }

    /** {@code host:port} of the client listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    /** The configuration in use, with the concrete ports chosen for any requested port 0. */
    public EmbeddedKafkaConfig config() {
        return config;
    }

    /** The cluster id stored in the data directory; stable across restarts. */
    public String clusterId() {
        return clusterId;
    }

    /**
     * Shuts the broker down (controlled shutdown, logs flushed, producer state saved) and waits
     * until it has stopped.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long startNanos = System.nanoTime();
        LOG.atInfo().addKeyValue("bootstrap_servers", config.bootstrapServers()).log("stopping embedded Kafka");
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            lock.close();
        }
        LOG.atInfo().addKeyValue("bootstrap_servers", config.bootstrapServers())
                .addKeyValue("shutdown_ms", millisSince(startNanos))
                .log("embedded Kafka stopped");
    }

    // KafkaRaftServer.startup blocks until the broker is unfenced, with its own long timeouts;
    // running it on a separate thread lets our deadline win.
    private static void startup(KafkaRaftServer server, long deadlineNanos)
            throws TimeoutException, InterruptedException {
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread.ofPlatform().name("embedded-kafka-startup").daemon(true).start(() -> {
            try {
                server.startup();
                started.complete(null);
            } catch (Throwable t) {
                started.completeExceptionally(t);
            }
        });
        try {
            started.get(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).log("shutting down a half-started embedded Kafka failed");
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
