package dev.agentwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.model.Outcome;
import dev.agentwatch.testkit.TestServices;
import dev.agentwatch.topics.TopicCreator;
import dev.agentwatch.topics.Topics;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the collector ITs share: a collector per tenant, posting, and reading back from Kafka. */
final class Ingest {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Ingest() {
    }

    /** A tenant no other test uses, and its API key. */
    record Tenant(String name, String key) {
        static Tenant unique(String prefix) {
            String name = TestServices.uniqueName(prefix);
            return new Tenant(name, "aw_key_" + name);
        }

        Map<String, String> keys() {
            return Map.of(ApiKeys.hash(key), name);
        }
    }

    /** A collector on ephemeral ports against the test broker, with topics created. */
    static CollectorConfig config(Tenant tenant) {
        return config(tenant, TestServices.kafkaBootstrap());
    }

    /** A collector on ephemeral ports against the broker at {@code bootstrap}, with topics created. */
    static CollectorConfig config(Tenant tenant, String bootstrap) {
        TopicCreator.of(3, (short) 1).ensure(bootstrap, Topics.ALL);
        return CollectorConfig.of(bootstrap, tenant.keys()).withPorts(0, 0);
    }

    static HttpResponse<byte[]> post(Collector collector, String path, byte[] body, String contentType, String key,
                                     String encoding) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + path))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (encoding != null) {
            request.header("Content-Encoding", encoding);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static HttpResponse<String> get(Collector collector, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String tenantOf(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(Topics.TENANT_HEADER);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    static ExportTraceServiceRequest parse(byte[] bytes) {
        try {
            return ExportTraceServiceRequest.parseFrom(bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static int spanCount(ExportTraceServiceRequest request) {
        return request.getResourceSpansList().stream()
                .flatMap(rs -> rs.getScopeSpansList().stream()).mapToInt(ss -> ss.getSpansCount()).sum();
    }

    /** Reads otlp_spans from the start until {@code spans} spans of {@code tenant} were seen (60 s at most). */
    static List<ConsumerRecord<String, byte[]>> spanRecords(String tenant, int spans) {
        return records(TestServices.kafkaBootstrap(), Topics.OTLP_SPANS.name(), tenant, spans, true,
                r -> spanCount(parse(r.value())));
    }

    /** Like {@link #spanRecords} but at least {@code spans}: for at-least-once paths that may add duplicates. */
    static List<ConsumerRecord<String, byte[]>> spanRecordsAtLeast(String bootstrap, String tenant, int spans) {
        return records(bootstrap, Topics.OTLP_SPANS.name(), tenant, spans, false, r -> spanCount(parse(r.value())));
    }

    /** Reads agentwatch_outcomes from the start until {@code count} outcomes of {@code tenant} were seen. */
    static List<Outcome> outcomes(String tenant, int count) {
        var deserializer = Topics.OUTCOMES.valueSerde().deserializer();
        return records(TestServices.kafkaBootstrap(), Topics.OUTCOMES.name(), tenant, count, true, r -> 1).stream()
                .map(r -> deserializer.deserialize(Topics.OUTCOMES.name(), r.value())).toList();
    }

    private static List<ConsumerRecord<String, byte[]>> records(String bootstrap, String topic, String tenant, int wanted,
                                                               boolean exact,
                                                               ToIntFunction<ConsumerRecord<String, byte[]>> weight) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, TestServices.uniqueName("collector-it"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int seen = 0;
            int quietPolls = 0;
            // Keep reading a little after reaching the count, so that extra records show up as a failure.
            while (System.nanoTime() < deadline && (seen < wanted || quietPolls < 2)) {
                var polled = consumer.poll(Duration.ofMillis(500));
                quietPolls = polled.isEmpty() ? quietPolls + 1 : 0;
                for (ConsumerRecord<String, byte[]> record : polled) {
                    if (tenantOf(record).equals(tenant)) {
                        found.add(record);
                        seen += weight.applyAsInt(record);
                    }
                }
            }
            if (exact) {
                assertThat(seen).as("records of tenant %s in %s", tenant, topic).isEqualTo(wanted);
            } else {
                assertThat(seen).as("records of tenant %s in %s", tenant, topic).isGreaterThanOrEqualTo(wanted);
            }
        }
        return found;
    }
}
