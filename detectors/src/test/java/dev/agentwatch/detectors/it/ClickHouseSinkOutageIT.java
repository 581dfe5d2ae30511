package dev.agentwatch.detectors.it;

import dev.agentwatch.detectors.health.HealthReport;
import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import dev.agentwatch.clickhouse.ClickHouseBatchWriter;
import dev.agentwatch.clickhouse.ClickHouseClients;
import dev.agentwatch.clickhouse.ClickHouseConfig;
import dev.agentwatch.clickhouse.FindingRowEncoder;
import dev.agentwatch.clickhouse.RowEncoder;
import dev.agentwatch.clickhouse.RowOutput;
import dev.agentwatch.clickhouse.SchemaMigrator;
import dev.agentwatch.detectors.sink.ClickHouseSink;
import dev.agentwatch.detectors.sink.SinkMetrics;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Severity;
import dev.agentwatch.testkit.TestServices;
import dev.agentwatch.topics.JsonSerde;
import dev.agentwatch.topics.Topic;
import dev.agentwatch.topics.TopicCreator;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A sink whose ClickHouse is down keeps its batch and its offsets, backs off and retries; when
 * ClickHouse comes back every record lands exactly once. A sink hit by an unexpected failure
 * restarts from its committed offsets instead of dying quietly.
 */
@Timeout(180)
class ClickHouseSinkOutageIT {
    private static final int FINDINGS = 500;

    @Test
    void holdsItsBatchWhileClickHouseIsDownAndWritesEveryRowOnceWhenItIsBack() throws Exception {
        ClickHouseConfig real = migratedDatabase("sink_outage");
        Topic<String, Finding> topic = findingsTopic();
        String tenant = TestServices.uniqueName("outage");
        produceFindings(topic, tenant);
        int port = TcpProxy.freePort();
        URI target = URI.create(TestServices.clickHouseUrl());
        SinkMetrics metrics = new SinkMetrics();
        String group = TestServices.uniqueName("outage-sink");
        try (Client client = ClickHouseClients.create(unreachable(real, port));
             ClickHouseProbe clickHouse = new ClickHouseProbe(real);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrap()));
             ClickHouseSink<Finding> sink = findingsSink(client, group, topic, "outage-1", metrics)) {
            awaitRetries(metrics, 3);
            assertThat(metrics.written("findings")).isZero();
            assertThat(metrics.failingMillis(System.currentTimeMillis())).as("for /health").containsKey("findings");
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(committed.values()).as("no offset is committed before the write").allSatisfy(o -> assertThat(o).isNull());

            try (TcpProxy proxy = TcpProxy.start(port, target.getHost(), target.getPort())) {
                String where = " FROM findings WHERE tenant = '" + tenant + "'";
                clickHouse.awaitCount("SELECT count()" + where.replace("findings", "findings FINAL"), FINDINGS,
                        Duration.ofSeconds(90));

                assertThat(clickHouse.count("SELECT count()" + where.replace("findings", "findings FINAL"))).isEqualTo(FINDINGS);
                assertThat(clickHouse.count("SELECT uniqExact(fingerprint)" + where)).isEqualTo(FINDINGS);
                assertThat(clickHouse.count("SELECT count()" + where)).as("written once, not even a duplicate to collapse")
                        .isEqualTo(FINDINGS);
                assertThat(metrics.written("findings")).isEqualTo(FINDINGS);
                assertThat(metrics.failingMillis(System.currentTimeMillis())).as("written again").isEmpty();
            }
        }
    }

    @Test
    void anInstanceJoiningWhileClickHouseIsDownMakesNoRowGoMissing() throws Exception {
        ClickHouseConfig real = migratedDatabase("sink_rebalance");
        Topic<String, Finding> topic = findingsTopic();
        String tenant = TestServices.uniqueName("rebalance");
        produceFindings(topic, tenant);
        int port = TcpProxy.freePort();
        URI target = URI.create(TestServices.clickHouseUrl());
        String group = TestServices.uniqueName("rebalance-sink");
        SinkMetrics first = new SinkMetrics();
        SinkMetrics second = new SinkMetrics();
        try (Client client = ClickHouseClients.create(unreachable(real, port));
             ClickHouseProbe clickHouse = new ClickHouseProbe(real);
             ClickHouseSink<Finding> firstSink = findingsSink(client, group, topic, "rebalance-1", first)) {
            awaitRetries(first, 2);
            // The second instance's join revokes and reassigns the partitions while the first one
            // waits out a backoff, holding a batch it could not write.
            try (ClickHouseSink<Finding> secondSink = findingsSink(client, group, topic, "rebalance-2", second)) {
                // The second one has its partitions and failed a write: the rebalance is over.
                awaitRetries(second, 1);
                try (TcpProxy proxy = TcpProxy.start(port, target.getHost(), target.getPort())) {
                    String where = " FROM findings FINAL WHERE tenant = '" + tenant + "'";
                    clickHouse.awaitCount("SELECT count()" + where, FINDINGS, Duration.ofSeconds(90));
                    assertThat(clickHouse.count("SELECT count()" + where)).isEqualTo(FINDINGS);
                    // A sink counts its rows after committing their offsets, a moment after
                    // ClickHouse has them.
                    awaitWritten(FINDINGS, first, second);
                }
            }
        }
    }

    /** {@code real}'s database, at a port where nothing answers until a {@link TcpProxy} starts there. */
    private static ClickHouseConfig unreachable(ClickHouseConfig real, int port) {
        return new ClickHouseConfig("http://127.0.0.1:" + port, real.database(), "default", "", 100, Duration.ofMillis(200));
    }

    /** A started sink of {@code topic} into findings, in batches of 100 rows or 200 ms. */
    private static ClickHouseSink<Finding> findingsSink(Client client, String group, Topic<String, Finding> topic,
                                                        String instance, SinkMetrics metrics) {
        return new ClickHouseSink<>(TestServices.kafkaBootstrap(), group, topic,
                new ClickHouseBatchWriter<>(client, new FindingRowEncoder()), 100, Duration.ofMillis(200), instance,
                Clock.systemUTC(), metrics).start();
    }

    private static void awaitWritten(long atLeast, SinkMetrics first, SinkMetrics second) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (first.written("findings") + second.written("findings") < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(first.written("findings") + second.written("findings")).as("rows written by the two instances")
                .isGreaterThanOrEqualTo(atLeast);
    }

    private static void awaitRetries(SinkMetrics metrics, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (metrics.retries("findings") < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(metrics.retries("findings")).as("failed writes while ClickHouse is down").isGreaterThanOrEqualTo(atLeast);
    }

    @Test
    void restartsFromItsCommittedOffsetsAfterAnUnexpectedFailureAndLosesNothing() throws Exception {
        ClickHouseConfig config = migratedDatabase("sink_restart");
        Topic<String, Finding> topic = findingsTopic();
        String tenant = TestServices.uniqueName("sink-restart");
        produceFindings(topic, tenant);
        // An encoder that fails (not a ClickHouse error: a bug, say) on three batches along the way.
        AtomicInteger encoded = new AtomicInteger();
        FindingRowEncoder real = new FindingRowEncoder();
        RowEncoder<Finding> flaky = new RowEncoder<>() {
            @Override
            public String table() {
                return real.table();
            }

            @Override
            public List<String> columns() {
                return real.columns();
            }

            @Override
            public void encode(Finding record, RowOutput out) {
                int n = encoded.incrementAndGet();
                if (n == 50 || n == 120 || n == 260) {
                    throw new IllegalStateException("encoder bug on row " + n);
                }
                real.encode(record, out);
            }
        };
        SinkMetrics metrics = new SinkMetrics();
        try (Client client = ClickHouseClients.create(config);
             ClickHouseProbe clickHouse = new ClickHouseProbe(config);
             ClickHouseSink<Finding> sink = new ClickHouseSink<>(TestServices.kafkaBootstrap(),
                     TestServices.uniqueName("restart-sink"), topic, new ClickHouseBatchWriter<>(client, flaky), 100,
                     Duration.ofMillis(200), "restart-sink-1", Clock.systemUTC(), metrics).start()) {
            String where = " FROM findings WHERE tenant = '" + tenant + "'";
            clickHouse.awaitCount("SELECT count()" + where.replace("findings", "findings FINAL"), FINDINGS,
                    Duration.ofSeconds(90));

            assertThat(metrics.restarts("findings")).isEqualTo(3);
            long now = System.currentTimeMillis();
            HealthReport health = HealthReport.assess(Map.of(), Map.of(), metrics.recentRestarts(now),
                    metrics.failingMillis(now), HealthReport.Limits.defaults());
            assertThat(health.status()).as("three restarts in ten minutes").isEqualTo(HealthReport.PIPELINE_FAILING);
            assertThat(health.problems()).singleElement().asString().contains("findings sink restarted after a failure 3 times");
            assertThat(clickHouse.count("SELECT uniqExact(fingerprint)" + where)).isEqualTo(FINDINGS);
        }
    }

    /** A fresh database with the schema, written in batches of 100 rows or 200 ms. */
    private static ClickHouseConfig migratedDatabase(String prefix) {
        ClickHouseConfig config = new ClickHouseConfig(TestServices.clickHouseUrl(), TestServices.uniqueDatabase(prefix),
                "default", "", 100, Duration.ofMillis(200));
        SchemaMigrator.of(config).migrate();
        return config;
    }

    private static Topic<String, Finding> findingsTopic() {
        Topic<String, Finding> topic = new Topic<>(TestServices.uniqueName("it-findings"), Serdes.String(),
                JsonSerde.of(Finding.class), Map.of());
        TopicCreator.of(2, (short) 1).ensure(TestServices.kafkaBootstrap(), List.of(topic));
        return topic;
    }

    private static void produceFindings(Topic<String, Finding> topic, String tenant) throws Exception {
        try (KafkaProducer<String, Finding> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                Serdes.String().serializer(), topic.valueSerde().serializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < FINDINGS; i++) {
                Finding finding = new Finding(String.format("%032x", i), "loop", Severity.ERROR, tenant, "agent", "1",
                        String.format("%032x", i), "", "", "finding " + i, 1_795_923_246_000_000_000L + i, 1_795_923_247_000L,
                        Map.of("n", Integer.toString(i)), Map.of());
                sent.add(producer.send(new ProducerRecord<>(topic.name(), finding.fingerprint(), finding)));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get(30, TimeUnit.SECONDS);
            }
        }
    }
}
