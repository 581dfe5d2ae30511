package dev.agentwatch.topics;

import dev.agentwatch.model.AgentMetrics;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.PipelineMetric;
import dev.agentwatch.model.Reconciliation;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunReview;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepBatch;
import dev.agentwatch.model.StepMetrics;
import dev.agentwatch.model.StepSample;
import dev.agentwatch.model.StepSamples;
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

    /** A single step as format version 1 of {@link #STEPS} wrote it, one per record: still read. */
    static final BinarySerde<Step> STEP_FORMAT = BinarySerde.of(Step.class, 1, StepCodec::write, StepCodec::read);

    /**
     * The binary form of {@link #STEPS} since version 2: a {@link StepBatch} ({@link StepCodec});
     * the single steps of version 1 (and their JSON before it) are read as batches of one.
     */
    public static final BinarySerde<StepBatch> STEP_BATCH_FORMAT =
            BinarySerde.of(StepBatch.class, 2, StepCodec::writeBatch, StepCodec::readBatch)
                    .upgrading(STEP_FORMAT, StepBatch::of);

    /**
     * Normalized steps keyed by run id (trace id hex), so a run's steps share a partition. Binary
     * ({@link #STEP_BATCH_FORMAT}): one record per run per {@link #OTLP_SPANS} record.
     */
    public static final Topic<String, StepBatch> STEPS = new Topic<>("agentwatch_steps", Serdes.String(),
            STEP_BATCH_FORMAT, Map.of());

    /** Closed runs keyed by run id; a run closed again after late spans has a higher revision. */
    public static final Topic<String, Run> RUNS = new Topic<>(
            "agentwatch_runs", Serdes.String(), BinarySerde.of(Run.class, 1, RunCodec::write, RunCodec::read), Map.of());

    /** Findings keyed by fingerprint, so re-deliveries of one finding share a partition. */
    public static final Topic<String, Finding> FINDINGS = new Topic<>(
            "agentwatch_findings", Serdes.String(), JsonSerde.of(Finding.class), Map.of());

    /**
     * Ground-truth outcomes keyed by run id, or by {@code subject:<id>} when only the subject is
     * known. Kept long: truth may arrive weeks after the run.
     */
    public static final Topic<String, Outcome> OUTCOMES = new Topic<>(
            "agentwatch_outcomes", Serdes.String(), JsonSerde.of(Outcome.class),
            Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(90L * 24 * 3600 * 1000)));

    /** A step sample as format version 1 wrote it, one per record: still read on {@link #STEP_SAMPLES}. */
    static final BinarySerde<StepSample> STEP_SAMPLE_V1 =
            BinarySerde.of(StepSample.class, 1, StepSampleCodec::write, StepSampleCodec::read);

    /**
     * Steps of closed runs with their run's agent, keyed by {@link StepSamples#metricKey()}: the
     * input of the per-step metrics and the outlier detectors. Binary ({@link StepSampleCodec}):
     * since version 2, one record per run, metric key and minute of step end; the single samples
     * of version 1 (and their JSON before it) are read as records of one.
     */
    public static final Topic<String, StepSamples> STEP_SAMPLES = new Topic<>(
            "agentwatch_step_samples", Serdes.String(),
            BinarySerde.of(StepSamples.class, 2, StepSampleCodec::writeBatch, StepSampleCodec::readBatch)
                    .upgrading(STEP_SAMPLE_V1, StepSamples::of), Map.of());

    /** Per-step 1-minute metrics, re-emitted as the minute fills; keyed by metric key and minute. */
    public static final Topic<String, StepMetrics> STEP_METRICS = new Topic<>(
            "agentwatch_step_metrics", Serdes.String(), JsonSerde.of(StepMetrics.class), Map.of());

    /** Per-agent 1-minute run metrics, re-emitted as the minute fills; keyed by agent and minute. */
    public static final Topic<String, AgentMetrics> AGENT_METRICS = new Topic<>(
            "agentwatch_agent_metrics", Serdes.String(), JsonSerde.of(AgentMetrics.class), Map.of());

    /**
     * Outcomes joined to their runs, keyed by tenant and {@link Reconciliation#reconciliationId()}:
     * re-emitted (higher version) whenever a run's reconciliation changes.
     */
    public static final Topic<String, Reconciliation> RECONCILIATIONS = new Topic<>(
            "agentwatch_reconciliations", Serdes.String(), JsonSerde.of(Reconciliation.class), Map.of());

    /** Runs routed to human review or judge audit, keyed by run id. */
    public static final Topic<String, RunReview> RUN_REVIEWS = new Topic<>(
            "agentwatch_run_reviews", Serdes.String(), JsonSerde.of(RunReview.class), Map.of());

    /** Records no pipeline could process, with the reason. Kept long: an operator must see them. */
    public static final Topic<String, DeadLetter> DEAD_LETTERS = new Topic<>(
            "agentwatch_dead_letters", Serdes.String(), JsonSerde.of(DeadLetter.class),
            Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 24 * 3600 * 1000)));

    /**
     * agentwatch's own health readings (counters and gauges) from every component, keyed by
     * component and instance; the detectors write them to ClickHouse for the Pipeline dashboard.
     */
    public static final Topic<String, PipelineMetric> PIPELINE_METRICS = new Topic<>(
            "agentwatch_pipeline_metrics", Serdes.String(), JsonSerde.of(PipelineMetric.class),
            Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(7L * 24 * 3600 * 1000)));

    /** All topics to create at start-up. */
    public static final List<Topic<?, ?>> ALL = List.of(OTLP_SPANS, STEPS, RUNS, FINDINGS, OUTCOMES, DEAD_LETTERS,
            STEP_SAMPLES, STEP_METRICS, AGENT_METRICS, RECONCILIATIONS, RUN_REVIEWS, PIPELINE_METRICS);

    private Topics() {
    }
}
