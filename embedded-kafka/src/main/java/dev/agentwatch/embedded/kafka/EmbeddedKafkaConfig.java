package dev.agentwatch.embedded.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings for the single-node KRaft broker that {@link EmbeddedKafka} runs in-process.
 *
 * <p>The broker is node 1 in combined mode ({@code process.roles=broker,controller}). Its
 * {@code dataDir} is used as Kafka's {@code log.dirs}: it is formatted on first start and reused
 * afterwards, so give it a directory of its own. Port {@code 0} means "pick a free port when the
 * broker starts"; {@link EmbeddedKafka#config()} then reports the ports actually used, and passing
 * that back to {@link EmbeddedKafka#start} restarts the broker at the same address.
 *
 * <p>The listeners are plaintext without authentication, so the host must be a loopback address
 * unless {@code allowNonLoopbackHost} is set deliberately.
 *
 * @param dataDir broker log directory; persistent, survives restarts
 * @param host address both listeners bind to and the broker advertises; default {@value #DEFAULT_HOST}
 * @param port client (PLAINTEXT) port, {@code 0} for a free one; default {@value #DEFAULT_PORT}
 * @param controllerPort KRaft controller port, {@code 0} for a free one; default {@value #DEFAULT_CONTROLLER_PORT}
 * @param defaultPartitions partitions of topics created without an explicit count ({@code num.partitions})
 * @param logRetentionHours how long records are kept ({@code log.retention.hours})
 * @param logRetentionBytesPerPartition size cap per partition ({@code log.retention.bytes})
 * @param startupTimeoutMillis how long {@link EmbeddedKafka#start} waits for the broker to answer
 * @param allowNonLoopbackHost whether {@code host} may be reachable from other machines
 */
public record EmbeddedKafkaConfig(
        Path dataDir,
        String host,
        int port,
        int controllerPort,
        int defaultPartitions,
        int logRetentionHours,
        long logRetentionBytesPerPartition,
        long startupTimeoutMillis,
        boolean allowNonLoopbackHost) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 9093;
    public static final int DEFAULT_PARTITIONS = 3;
    public static final int DEFAULT_LOG_RETENTION_HOURS = 24;
    public static final long DEFAULT_LOG_RETENTION_BYTES_PER_PARTITION = 1L << 30;
    public static final long DEFAULT_STARTUP_TIMEOUT_MILLIS = 60_000;

    private static final long MIN_RETENTION_BYTES = 1L << 20;

    public EmbeddedKafkaConfig {
        Objects.requireNonNull(dataDir, "dataDir is required: a directory the broker owns, e.g. ~/.agentwatch/kafka");
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(
                    "host is blank: set it to a concrete address such as " + DEFAULT_HOST);
        }
        checkHost(host, allowNonLoopbackHost);
        checkPort("port", port);
        checkPort("controllerPort", controllerPort);
        if (port != 0 && port == controllerPort) {
            throw new IllegalArgumentException("port and controllerPort are both " + port
                    + ": the client and controller listeners need different ports (or 0 for free ones)");
        }
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException(
                    "defaultPartitions is " + defaultPartitions + ": set it to 1 or more");
        }
        if (logRetentionHours < 1) {
            throw new IllegalArgumentException(
                    "logRetentionHours is " + logRetentionHours + ": set it to 1 or more");
        }
        if (logRetentionBytesPerPartition < MIN_RETENTION_BYTES) {
            throw new IllegalArgumentException("logRetentionBytesPerPartition is "
                    + logRetentionBytesPerPartition + ": set it to at least " + MIN_RETENTION_BYTES + " (1 MiB)");
        }
        if (startupTimeoutMillis < 1) {
            throw new IllegalArgumentException(
                    "startupTimeoutMillis is " + startupTimeoutMillis + ": set it to a positive number of milliseconds");
        }
    }

    /** Defaults for everything but the data directory: loopback, ports 9092/9093, 3 partitions. */
    public static EmbeddedKafkaConfig of(Path dataDir) {
        return new EmbeddedKafkaConfig(dataDir, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_CONTROLLER_PORT,
                DEFAULT_PARTITIONS, DEFAULT_LOG_RETENTION_HOURS, DEFAULT_LOG_RETENTION_BYTES_PER_PARTITION,
                DEFAULT_STARTUP_TIMEOUT_MILLIS, false);
    }

    /** A copy with other ports; {@code 0} picks a free port at start. */
    public EmbeddedKafkaConfig withPorts(int newPort, int newControllerPort) {
        return new EmbeddedKafkaConfig(dataDir, host, newPort, newControllerPort, defaultPartitions,
                logRetentionHours, logRetentionBytesPerPartition, startupTimeoutMillis, allowNonLoopbackHost);
    }

    /** A copy with both ports set to {@code 0}, i.e. free ports picked at start. */
    public EmbeddedKafkaConfig withFreePorts() {
        return withPorts(0, 0);
    }

    /** A copy with another default partition count for new topics. */
    public EmbeddedKafkaConfig withDefaultPartitions(int partitions) {
        return new EmbeddedKafkaConfig(dataDir, host, port, controllerPort, partitions,
                logRetentionHours, logRetentionBytesPerPartition, startupTimeoutMillis, allowNonLoopbackHost);
    }

    /** {@code host:port} for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return host + ":" + port;
    }

    private static void checkHost(String host, boolean allowNonLoopbackHost) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(
                    "host '" + host + "' does not resolve: use an IP address such as " + DEFAULT_HOST, e);
        }
        if (address.isAnyLocalAddress()) {
            throw new IllegalArgumentException("host '" + host + "' is a wildcard address, which clients "
                    + "cannot be told to connect to: use a concrete address such as " + DEFAULT_HOST);
        }
        if (!address.isLoopbackAddress() && !allowNonLoopbackHost) {
            throw new IllegalArgumentException("host '" + host + "' is not a loopback address and the broker "
                    + "has no authentication: use " + DEFAULT_HOST + ", or set allowNonLoopbackHost to expose it");
        }
    }

    private static void checkPort(String name, int value) {
        if (value < 0 || value > 65_535) {
            throw new IllegalArgumentException(
                    name + " is " + value + ": use 1-65535, or 0 to pick a free port at start");
        }
    }
}
