package dev.agentwatch.cli;

import dev.agentwatch.alerts.AlertNotifier;
import dev.agentwatch.clickhouse.SchemaMigrator;
import dev.agentwatch.collector.Collector;
import dev.agentwatch.collector.CollectorConfig;
import dev.agentwatch.detectors.Detectors;
import dev.agentwatch.detectors.health.HealthServer;
import dev.agentwatch.embedded.clickhouse.EmbeddedClickHouse;
import dev.agentwatch.embedded.clickhouse.EmbeddedClickHouseConfig;
import dev.agentwatch.embedded.kafka.EmbeddedKafka;
import dev.agentwatch.embedded.kafka.EmbeddedKafkaConfig;
import dev.agentwatch.topics.TopicCreator;
import dev.agentwatch.topics.Topics;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running stack: embedded Kafka and ClickHouse (unless external ones are configured),
 * topics, schema, collector and detectors. Closes in reverse start order, so the collector stops
 * taking spans before anything behind it goes away and nothing acknowledged is lost.
 */
final class Stack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Stack.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private String kafkaBootstrap;
    private String clickHouseUrl;
    private String devApiKey;
    private Collector collector;
    private Detectors detectors;
    private HealthServer detectorsHealth;
    private AlertNotifier alertNotifier;

    static Stack start(StackConfig config, PrintStream out) {
        return start(config, Role.ALL, out);
    }

    static Stack start(StackConfig config, Role role, PrintStream out) {
        Stack stack = new Stack();
        try {
            stack.startAll(config, role, out);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(StackConfig config, Role role, PrintStream out) {
        requireExternalServices(config, role);
        int steps = (config.externalKafka().isEmpty() ? 1 : 0) + (config.externalClickHouse().isEmpty() ? 1 : 0)
                + 1 + (role.migrations ? 1 : 0) + (role.detectors ? 1 : 0) + (role.collector ? 1 : 0)
                + (role.detectors && config.alerts().enabled() ? 1 : 0);
        Progress progress = new Progress(out, steps);
        kafkaBootstrap = config.externalKafka().orElseGet(() -> progress.step("starting embedded Kafka (KRaft) on 127.0.0.1:"
                + config.kafkaPort(), () -> {
            EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.of(config.dataDir().resolve("kafka"))
                    .withPorts(config.kafkaPort(), config.kafkaControllerPort())
                    .withDefaultPartitions(config.partitions()));
            started.push(kafka);
            return kafka.bootstrapServers();
        }));
        if (!role.needsClickHouse()) {
            startCollector(config, role, progress);
            return;
        }
        clickHouseUrl = config.externalClickHouse().orElseGet(() -> progress.step(
                "starting embedded ClickHouse (chDB) on " + config.clickHouseHost() + ":" + config.clickHousePort(), () -> {
                    EmbeddedClickHouse clickHouse = EmbeddedClickHouse.start(new EmbeddedClickHouseConfig(
                            config.dataDir().resolve("clickhouse"), config.clickHouseHost(), config.clickHousePort(),
                            config.clickHouse().user(), config.clickHouse().password(), config.chdbLibrary(),
                            config.chdbCacheDir().orElse(null)));
                    started.push(clickHouse);
                    return clickHouse.httpUrl();
                }));
        progress.step("creating topics", () -> {
            List<String> created = TopicCreator.of(config.partitions(), config.replicationFactor())
                    .ensure(kafkaBootstrap, Topics.ALL);
            LOG.info("topics ready created={}", created);
        });
        progress.step("applying ClickHouse migrations", () -> {
            List<Integer> applied = SchemaMigrator.of(config.clickHouse()).migrate();
            LOG.info("schema ready database={} applied_now={}", config.clickHouse().database(), applied);
        });
        if (role.detectors) {
            detectors = progress.step("starting detectors (Kafka Streams)", () -> Detectors.start(config.detectors()));
            started.push(detectors);
            if (config.detectorsHttpPort() >= 0) {
                Detectors running = detectors;
                detectorsHealth = HealthServer.start(config.detectorsHttpHost(), config.detectorsHttpPort(), running::health,
                        running::readings);
                started.push(detectorsHealth);
            }
        }
        if (role.detectors && config.alerts().enabled()) {
            alertNotifier = progress.step("starting alert notifier (" + config.alerts().configFile().orElseThrow() + ")",
                    () -> AlertNotifier.start(config.alerts().notifier(), config.alerts().routing().orElseThrow()));
            started.push(alertNotifier);
        }
        startCollector(config, role, progress);
    }

    private void startCollector(StackConfig config, Role role, Progress progress) {
        if (!role.collector) {
            return;
        }
        if (!role.migrations) {
            progress.step("creating topics", () -> {
                TopicCreator.of(config.partitions(), config.replicationFactor()).ensure(kafkaBootstrap, Topics.ALL);
            });
        }
        Map<String, String> keys = config.apiKeys();
        if (config.collectorAuth() && keys.isEmpty()) {
            devApiKey = DevApiKey.loadOrCreate(config.dataDir());
            keys = Map.of(DevApiKey.hash(devApiKey), "default");
        }
        CollectorConfig collectorConfig = config.collector(keys);
        collector = progress.step("starting collector on " + collectorConfig.host() + ":" + collectorConfig.httpPort(),
                () -> Collector.start(collectorConfig));
        started.push(collector);
    }

    /** Roles other than {@code up} run against services someone else operates. */
    private static void requireExternalServices(StackConfig config, Role role) {
        if (role.embedsServices()) {
            return;
        }
        String command = role.name().toLowerCase(java.util.Locale.ROOT);
        if (config.externalKafka().isEmpty()) {
            throw new IllegalArgumentException("'agentwatch " + command + "' runs against an external Kafka: set "
                    + "kafka.bootstrap.servers (AGENTWATCH_KAFKA_BOOTSTRAP_SERVERS), or use 'agentwatch up'");
        }
        if (role.needsClickHouse() && config.externalClickHouse().isEmpty()) {
            throw new IllegalArgumentException("'agentwatch " + command + "' runs against an external ClickHouse: set "
                    + "clickhouse.url (AGENTWATCH_CLICKHOUSE_URL), or use 'agentwatch up'");
        }
    }

    String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    String clickHouseUrl() {
        return clickHouseUrl;
    }

    /** The generated dev key, or null when keys were configured or auth is off. */
    String devApiKey() {
        return devApiKey;
    }

    Collector collector() {
        return collector;
    }

    Detectors detectors() {
        return detectors;
    }

    /** The detectors' health server, or null when off or this role runs no detectors. */
    HealthServer detectorsHealth() {
        return detectorsHealth;
    }

    /** The alert notifier, or null when alerts are off or this role runs no detectors. */
    AlertNotifier alertNotifier() {
        return alertNotifier;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable component = started.pop();
            try {
                component.close();
            } catch (Exception e) {
                LOG.warn("error while stopping {}", component.getClass().getSimpleName(), e);
            }
        }
    }
}
