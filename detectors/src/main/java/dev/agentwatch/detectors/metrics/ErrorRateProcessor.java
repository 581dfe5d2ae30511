package dev.agentwatch.detectors.metrics;

import dev.agentwatch.detectors.DetectorMetrics;
import dev.agentwatch.detectors.detect.Detection;
import dev.agentwatch.detectors.detect.ErrorRateSpikeDetector;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Run;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs the {@link ErrorRateSpikeDetector} per (tenant, agent) with its state in a RocksDB store.
 * Its input must place all runs of an agent in one partition ({@link MetricsTopology#byAgent}).
 */
final class ErrorRateProcessor implements Processor<String, Run, String, Finding> {
    private final ErrorRateSpikeDetector detector;
    private final DetectorMetrics metrics;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, ErrorRateSpikeDetector.State> states;

    ErrorRateProcessor(ErrorRateSpikeDetector.Config config, DetectorMetrics metrics) {
        this.detector = new ErrorRateSpikeDetector(config);
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Finding> context) {
        this.context = context;
        this.states = context.getStateStore(MetricsTopology.ERROR_RATE_STORE);
    }

    @Override
    public void process(Record<String, Run> record) {
        // Keyed by the run's agent, whatever the record's key: runs arrive keyed by agent version.
        String agent = MetricsTopology.agentKey(record.value());
        ErrorRateSpikeDetector.State state = states.get(agent);
        Detection<ErrorRateSpikeDetector.State> detection = detector.apply(state == null ? detector.initialState() : state,
                record.value());
        states.put(agent, detection.state());
        long detectedAt = context.currentSystemTimeMs();
        for (Finding finding : detection.findings()) {
            Finding stamped = finding.detectedAt(detectedAt);
            context.forward(new Record<>(stamped.fingerprint(), stamped, record.timestamp()));
            metrics.increment(DetectorMetrics.FINDINGS_EMITTED, stamped.detector());
        }
    }
}
