package dev.agentwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.collector.Ingest.Tenant;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A long run exported in one request is larger than Kafka takes as one record (1 MiB by default):
 * the collector stores it in pieces under that size, all keyed by the trace, and refuses only a
 * span that is too large on its own.
 */
@Timeout(180)
class LargeTraceIT {
    private static final String PROTOBUF = "application/x-protobuf";

    @Test
    void aTraceOverAKafkaRecordIsStoredInPiecesAndOnlyASpanTooLargeAloneIsRefused() throws Exception {
        Tenant tenant = Tenant.unique("large-trace");
        try (Collector collector = Collector.start(Ingest.config(tenant))) {
            Span[] spans = new Span[3_000];
            for (int i = 0; i < spans.length; i++) {
                spans[i] = TraceSplitterTest.span(41, i + 1, 1_000);
            }
            byte[] large = ExportTraceServiceRequest.newBuilder()
                    .addResourceSpans(TraceSplitterTest.resourceSpans("svc-large", spans)).build().toByteArray();
            byte[] oneHuge = ExportTraceServiceRequest.newBuilder()
                    .addResourceSpans(TraceSplitterTest.resourceSpans("svc-large", TraceSplitterTest.span(42, 1, 100),
                            TraceSplitterTest.span(42, 2, 1_200_000), TraceSplitterTest.span(42, 3, 100)))
                    .build().toByteArray();

            HttpResponse<byte[]> stored = Ingest.post(collector, "/v1/traces", large, PROTOBUF, tenant.key(), null);
            HttpResponse<byte[]> partly = Ingest.post(collector, "/v1/traces", oneHuge, PROTOBUF, tenant.key(), null);

            assertThat(large.length).isGreaterThan(3_000_000);
            assertThat(stored.statusCode()).as(Ingest.text(stored)).isEqualTo(200);
            assertThat(ExportTraceServiceResponse.parseFrom(stored.body()).hasPartialSuccess()).isFalse();
            assertThat(partly.statusCode()).isEqualTo(200);
            ExportTraceServiceResponse partial = ExportTraceServiceResponse.parseFrom(partly.body());
            assertThat(partial.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
            assertThat(partial.getPartialSuccess().getErrorMessage()).contains("more than a Kafka record takes");
            assertThat(collector.metrics().spansRejected("span_too_large")).isEqualTo(1);

            List<ConsumerRecord<String, byte[]>> records = Ingest.spanRecords(tenant.name(), 3_002);
            List<ConsumerRecord<String, byte[]>> pieces = records.stream()
                    .filter(r -> r.key().equals(TraceSplitterTest.traceHex(41))).toList();
            assertThat(pieces).hasSizeGreaterThanOrEqualTo(4)
                    .allSatisfy(r -> assertThat(r.value().length).isLessThanOrEqualTo(TraceChunker.MAX_RECORD_BYTES));
            assertThat(pieces.stream().mapToInt(r -> Ingest.spanCount(Ingest.parse(r.value()))).sum()).isEqualTo(3_000);
            assertThat(pieces.stream().map(ConsumerRecord::partition).distinct()).as("one trace, one partition").hasSize(1);
            assertThat(records.stream().filter(r -> r.key().equals(TraceSplitterTest.traceHex(42)))
                    .mapToInt(r -> Ingest.spanCount(Ingest.parse(r.value()))).sum()).isEqualTo(2);
            assertThat(Ingest.tenantOf(pieces.getFirst()).getBytes(StandardCharsets.UTF_8))
                    .isEqualTo(tenant.name().getBytes(StandardCharsets.UTF_8));
        }
    }
}
