package dev.agentwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import dev.agentwatch.collector.Ingest.Tenant;
import dev.agentwatch.testkit.RestartableKafka;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker goes away: the collector answers 503 with Retry-After instead of success, loses
 * nothing it acknowledged, and takes spans again once the broker is back. The broker is the
 * test's own, so that stopping it leaves the other tests theirs, whatever the services mode.
 */
@Timeout(300)
class KafkaOutageIT {
    private static final String PROTOBUF = "application/x-protobuf";

    @Test
    void answers503WithRetryAfterWhileKafkaIsDownAndLosesNothingItAcknowledged() throws Exception {
        Tenant tenant = Tenant.unique("outage");
        List<String> acknowledged = new ArrayList<>();
        try (RestartableKafka kafka = RestartableKafka.start();
             Collector collector = Collector.start(Ingest.config(tenant, kafka.bootstrapServers())
                     .withSendTimeoutMillis(2_000))) {
            for (int trace = 1; trace <= 3; trace++) {
                assertThat(postTrace(collector, tenant, trace).statusCode()).isEqualTo(200);
                acknowledged.add(TraceSplitterTest.traceHex(trace));
            }

            HttpResponse<byte[]> whileDown;
            HttpResponse<byte[]> outcomeWhileDown;
            kafka.stop();
            try {
                whileDown = postTrace(collector, tenant, 100);
                // 40 outcomes, and no metadata of their topic yet: each send would wait for it as long as
                // the whole request may (2 s), 80 s in all, past the client's 60 s, if the first failure did not stop them.
                String outcomes = java.util.stream.IntStream.range(0, 40).mapToObj(i -> "{\"subject_id\":\"c-" + i
                        + "\",\"verdict\":\"correct\",\"source\":\"judge\"}").collect(Collectors.joining(",", "[", "]"));
                outcomeWhileDown = Ingest.post(collector, "/v1/outcomes", outcomes.getBytes(StandardCharsets.UTF_8),
                        "application/json", tenant.key(), null);
                assertThat(Ingest.get(collector, "/health").statusCode()).isEqualTo(503);
            } finally {
                kafka.startAgain();
            }

            assertThat(whileDown.statusCode()).isEqualTo(503);
            assertThat(whileDown.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(Status.parseFrom(whileDown.body()).getMessage()).contains("retry later");
            assertThat(outcomeWhileDown.statusCode()).isEqualTo(503);
            assertThat(outcomeWhileDown.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(collector.metrics().kafkaErrors()).isPositive();
            assertThat(collector.metrics().requestsRejected("kafka_unavailable")).isPositive();

            // Back: the client's retry of the refused trace, and new traces, are acknowledged again.
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            int status = 0;
            while (System.nanoTime() < deadline && (status = postTrace(collector, tenant, 100).statusCode()) != 200) {
                Thread.sleep(500);
            }
            assertThat(status).as("collector recovers once the broker is back").isEqualTo(200);
            acknowledged.add(TraceSplitterTest.traceHex(100));
            for (int trace = 4; trace <= 6; trace++) {
                assertThat(postTrace(collector, tenant, trace).statusCode()).isEqualTo(200);
                acknowledged.add(TraceSplitterTest.traceHex(trace));
            }
            assertThat(Ingest.get(collector, "/health").statusCode()).isEqualTo(200);

            // At least once: the refused attempt may also have landed later, so read what is there.
            // 7 acknowledged traces of 2 spans each.
            Set<String> stored = Ingest.spanRecordsAtLeast(kafka.bootstrapServers(), tenant.name(), 14).stream()
                    .map(r -> r.key()).collect(Collectors.toSet());
            assertThat(stored).containsAll(acknowledged);
        }
    }

    private static HttpResponse<byte[]> postTrace(Collector collector, Tenant tenant, int trace) {
        byte[] body = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(TraceSplitterTest.resourceSpans("svc-outage", TraceSplitterTest.span(trace, 1),
                        TraceSplitterTest.span(trace, 2)))
                .build().toByteArray();
        return Ingest.post(collector, "/v1/traces", body, PROTOBUF, tenant.key(), null);
    }
}
