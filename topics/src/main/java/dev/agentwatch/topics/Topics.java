package dev.agentwatch.topics;

import dev.agentwatch.model.Step;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic agentwatch reads or writes, in one place.
 *
 * <p>{@link #OTLP_SPANS} has the same records as the OpenTelemetry Collector's Kafka exporter with
 * {@code partition_traces_by_id}: key = lowercase hex trace id, value = an
 * {@code ExportTraceServiceRequest} protobuf holding one trace's spans. A stock collector can
 * therefore feed the detectors directly. Our collector adds the tenant as the
 * {@link #TENANT_HEADER} header.
 */
public final class Topics {
    /** Record header carrying the tenant the collector authenticated; payloads never choose it. */
    public static final String TENANT_HEADER = "agentwatch.tenant";

    /** Tenant given to records that arrive without a tenant header (e.g. from a stock collector). */
    public static final String DEFAULT_TENANT = "default";

    public static final Topic<String, byte[]> OTLP_SPANS = new Topic<>(
            "otlp_spans", Serdes.String(), Serdes.ByteArray(),
            Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "producer"));

    /** Normalized steps keyed by run id (trace id hex), so a run's steps share a partition. */
    public static final Topic<String, Step> STEPS = new Topic<>(
            "agentwatch_steps", Serdes.String(), JsonSerde.of(Step.class), Map.of());

    /** Records no pipeline could process, with the reason. Kept long: an operator must see them. */
    public static final Topic<String, DeadLetter> DEAD_LETTERS = new Topic<>(
            "agentwatch_dead_letters", Serdes.String(), JsonSerde.of(DeadLetter.class),
            Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 24 * 3600 * 1000)));

    /** All topics to create at start-up. */
    public static final List<Topic<?, ?>> ALL = List.of(OTLP_SPANS, STEPS, DEAD_LETTERS);

    private Topics() {
    }
}
