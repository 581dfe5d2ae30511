package dev.agentwatch.cli;

import dev.agentwatch.clickhouse.ClickHouseConfig;
import dev.agentwatch.collector.CollectorConfig;
import dev.agentwatch.detectors.DetectorsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The whole stack's configuration, typed and validated, built from {@link Settings}. Embedded
 * services are used where no external address is given.
 *
 * @param dataDir                 root of the embedded services' data
 * @param externalKafka           bootstrap servers of an external Kafka, empty for the embedded broker
 * @param kafkaPort               embedded broker port
 * @param kafkaControllerPort     embedded controller port
 * @param partitions              partitions of topics created at start
 * @param replicationFactor       replication factor of topics created at start
 * @param externalClickHouse      URL of an external ClickHouse, empty for embedded chDB
 * @param clickHouseHost          embedded ClickHouse HTTP host
 * @param clickHousePort          embedded ClickHouse HTTP port
 * @param chdbLibrary             explicit libchdb.so, empty to use the cache
 * @param chdbCacheDir            cache of the fetched library, empty for the default
 * @param clickHouse              ClickHouse settings (URL filled in once known)
 * @param collectorWithoutKeys    collector settings but for authentication
 * @param collectorAuth           whether the collector requires API keys
 * @param apiKeys                 configured key hashes to tenants, may be empty
 * @param detectors               detectors settings
 * @param detectorsHttpHost       host the detectors' {@code /health} binds on
 * @param detectorsHttpPort       its port, -1 when off
 * @param alerts                  alert notifier settings (off unless alerts.config names a routing file)
 */
record StackConfig(Path dataDir, Optional<String> externalKafka, int kafkaPort, int kafkaControllerPort, int partitions,
                   short replicationFactor, Optional<String> externalClickHouse, String clickHouseHost, int clickHousePort,
                   Optional<Path> chdbLibrary, Optional<Path> chdbCacheDir, ClickHouseConfig clickHouse,
                   CollectorConfig collectorWithoutKeys, boolean collectorAuth, Map<String, String> apiKeys,
                   DetectorsConfig detectors, String detectorsHttpHost, int detectorsHttpPort, AlertSettings alerts) {

    StackConfig {
        apiKeys = Map.copyOf(apiKeys);
        if (detectorsHttpPort < -1 || detectorsHttpPort > 65_535) {
            throw new IllegalArgumentException("detectors.http.port must be a port, 0 for any free one, or -1 for off; got "
                    + detectorsHttpPort);
        }
    }

    static StackConfig from(Settings settings) {
        Path dataDir = Path.of(settings.string("data.dir")).toAbsolutePath().normalize();
        Optional<String> externalKafka = nonEmpty(settings.string("kafka.bootstrap.servers"));
        int kafkaPort = settings.integer("kafka.embedded.port");
        String bootstrap = externalKafka.orElse("127.0.0.1:" + kafkaPort);
        Optional<String> externalClickHouse = nonEmpty(settings.string("clickhouse.url"));
        String clickHouseHost = settings.string("clickhouse.embedded.host");
        int clickHousePort = settings.integer("clickhouse.embedded.port");
        ClickHouseConfig clickHouse = new ClickHouseConfig(
                externalClickHouse.orElse("http://" + clickHouseHost + ":" + clickHousePort),
                settings.string("clickhouse.database"), settings.string("clickhouse.user"),
                settings.string("clickhouse.password"), settings.integer("clickhouse.batch.rows"),
                Duration.ofMillis(settings.integer("clickhouse.batch.age.ms")),
                Duration.ofMillis(settings.integer("clickhouse.findings.batch.age.ms")));
        boolean auth = settings.bool("collector.auth.enabled");
        // Built without keys first: with auth on and none configured, the launcher generates a
        // dev key and completes the config with {@link #collector(Map)}.
        CollectorConfig collectorWithoutKeys = new CollectorConfig(settings.string("collector.host"),
                settings.integer("collector.http.port"), settings.integer("collector.grpc.port"),
                settings.integer("collector.max.request.bytes"), settings.integer("collector.max.decoded.bytes"),
                settings.integer("collector.max.inflight.requests"), settings.integer("collector.max.inflight.bytes"),
                false, Map.of(), "default", bootstrap, settings.integer("collector.send.timeout.ms"),
                settings.bool("collector.content.capture"));
        DetectorsConfig detectors = new DetectorsConfig(bootstrap, settings.string("detectors.application.id"),
                dataDir.resolve("streams"), settings.string("detectors.processing.guarantee"),
                settings.integer("detectors.stream.threads"), clickHouse,
                nonEmpty(settings.string("detectors.instance.id")).orElseGet(StackConfig::hostName),
                DetectionSettings.from(settings))
                .withOutcomes(OutcomeSettings.from(settings));
        return new StackConfig(dataDir, externalKafka, kafkaPort, settings.integer("kafka.embedded.controller.port"),
                settings.integer("kafka.partitions"), (short) settings.integer("kafka.replication.factor"),
                externalClickHouse, clickHouseHost, clickHousePort, nonEmpty(settings.string("chdb.library")).map(Path::of),
                nonEmpty(settings.string("chdb.cache.dir")).map(Path::of), clickHouse, collectorWithoutKeys, auth,
                settings.map("collector.api.keys"), detectors, settings.string("detectors.http.host"),
                settings.integer("detectors.http.port"),
                AlertSettings.from(settings, bootstrap, dataDir, detectors.processingGuarantee(),
                        settings.integer("kafka.partitions"), (short) settings.integer("kafka.replication.factor"),
                        detectors.instanceId()));
    }

    /** The collector's config with the API keys in force (ignored when auth is off). */
    CollectorConfig collector(Map<String, String> keys) {
        CollectorConfig c = collectorWithoutKeys;
        return new CollectorConfig(c.host(), c.httpPort(), c.grpcPort(), c.maxRequestBytes(), c.maxDecodedBytes(),
                c.maxInFlightRequests(), c.maxInFlightBytes(), collectorAuth, collectorAuth ? keys : Map.of(),
                c.anonymousTenant(), c.kafkaBootstrap(), c.sendTimeoutMillis(), c.contentCapture());
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
        } catch (java.net.UnknownHostException e) {
            return "local-1";
        }
    }

    private static Optional<String> nonEmpty(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
