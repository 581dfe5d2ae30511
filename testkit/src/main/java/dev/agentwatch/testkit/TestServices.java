package dev.agentwatch.testkit;

import dev.agentwatch.embedded.clickhouse.EmbeddedClickHouse;
import dev.agentwatch.embedded.kafka.EmbeddedKafka;
import dev.agentwatch.embedded.kafka.EmbeddedKafkaConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.clickhouse.ClickHouseContainer;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The real services integration tests run against, one of each per JVM, started on first use.
 *
 * <p>Where they come from, decided once per JVM by {@code AGENTWATCH_TEST_SERVICES} (env) or
 * {@code agentwatch.test.services} (system property):
 * <ul>
 *   <li>{@code external}: a running broker and ClickHouse at {@code AGENTWATCH_TEST_KAFKA_BOOTSTRAP}
 *       and {@code AGENTWATCH_TEST_CLICKHOUSE_URL};</li>
 *   <li>{@code testcontainers}: Apache Kafka and ClickHouse server containers (needs Docker);</li>
 *   <li>{@code embedded}: the real Kafka broker (KRaft) and chDB-backed ClickHouse started in
 *       this JVM on loopback;</li>
 *   <li>{@code auto} (default): external if its variables are set, else Testcontainers if a
 *       Docker engine answers, else embedded.</li>
 * </ul>
 * A test never skips: if the chosen services cannot start, it fails with the reason.
 * Tests isolate themselves by database (ClickHouse) and by topic or application id (Kafka). A test
 * that stops the broker uses a {@link RestartableKafka} of its own.
 */
public final class TestServices {
    private static final Logger LOG = LoggerFactory.getLogger(TestServices.class);

    public enum Mode { EXTERNAL, TESTCONTAINERS, EMBEDDED }

    private static Mode mode;
    private static String kafkaBootstrap;
    private static String clickHouseUrl;
    private static EmbeddedKafka embeddedKafka;
    private static Path embeddedKafkaDir;

    private TestServices() {
    }

    public static synchronized Mode mode() {
        if (mode == null) {
            mode = chooseMode();
            LOG.info("integration test services: {}", mode);
        }
        return mode;
    }

    /** Bootstrap servers of the test broker. */
    public static synchronized String kafkaBootstrap() {
        if (kafkaBootstrap == null) {
            kafkaBootstrap = switch (mode()) {
                case EXTERNAL -> required("AGENTWATCH_TEST_KAFKA_BOOTSTRAP");
                case TESTCONTAINERS -> {
                    KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.1");
                    kafka.start();
                    yield kafka.getBootstrapServers();
                }
                case EMBEDDED -> {
                    embeddedKafkaDir = TestDirectories.create("agentwatch-test-kafka");
                    embeddedKafka = EmbeddedKafka.start(EmbeddedKafkaConfig.of(embeddedKafkaDir).withFreePorts());
                    Runtime.getRuntime().addShutdownHook(new Thread(TestServices::stopEmbeddedKafka));
                    yield embeddedKafka.bootstrapServers();
                }
            };
        }
        return kafkaBootstrap;
    }

    /** HTTP URL of the test ClickHouse, e.g. {@code http://127.0.0.1:34567}. */
    public static synchronized String clickHouseUrl() {
        if (clickHouseUrl == null) {
            clickHouseUrl = switch (mode()) {
                case EXTERNAL -> required("AGENTWATCH_TEST_CLICKHOUSE_URL");
                case TESTCONTAINERS -> {
                    ClickHouseContainer clickHouse = new ClickHouseContainer("clickhouse/clickhouse-server:25.8");
                    clickHouse.start();
                    yield "http://" + clickHouse.getHost() + ":" + clickHouse.getMappedPort(8123);
                }
                case EMBEDDED -> EmbeddedClickHouse.shared().httpUrl();
            };
        }
        return clickHouseUrl;
    }

    /** Stops the embedded broker and deletes its log directory (one per test JVM, tens of MB each). */
    private static synchronized void stopEmbeddedKafka() {
        if (embeddedKafka != null) {
            embeddedKafka.close();
            embeddedKafka = null;
            TestDirectories.deleteRecursively(embeddedKafkaDir);
        }
    }

    /** A database name no other test uses. */
    public static String uniqueDatabase(String prefix) {
        return prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** A name (topic suffix, application id) no other test uses. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Mode chooseMode() {
        String chosen = System.getProperty("agentwatch.test.services", System.getenv("AGENTWATCH_TEST_SERVICES"));
        if (chosen != null && !chosen.isBlank() && !chosen.equalsIgnoreCase("auto")) {
            try {
                return Mode.valueOf(chosen.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("AGENTWATCH_TEST_SERVICES must be auto, external, testcontainers or embedded, got '"
                        + chosen + "'");
            }
        }
        if (System.getenv("AGENTWATCH_TEST_KAFKA_BOOTSTRAP") != null && System.getenv("AGENTWATCH_TEST_CLICKHOUSE_URL") != null) {
            return Mode.EXTERNAL;
        }
        return dockerAvailable() ? Mode.TESTCONTAINERS : Mode.EMBEDDED;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static String required(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("AGENTWATCH_TEST_SERVICES=external needs " + variable);
        }
        return value;
    }
}
