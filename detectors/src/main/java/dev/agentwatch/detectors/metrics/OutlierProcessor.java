package dev.agentwatch.detectors.metrics;

import dev.agentwatch.detectors.DetectorMetrics;
import dev.agentwatch.detectors.detect.Baseline;
import dev.agentwatch.detectors.detect.Detection;
import dev.agentwatch.detectors.detect.OutlierDetector;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.StepSample;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs the latency, token and cost {@link OutlierDetector}s on each step sample, with their
 * baselines per metric key in a RocksDB store, and forwards findings keyed by fingerprint.
 */
final class OutlierProcessor implements Processor<String, StepSample, String, Finding> {
    private final List<OutlierDetector> detectors;
    private final DetectorMetrics metrics;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, List<Baseline>> baselines;

    OutlierProcessor(OutlierDetector.Config config, DetectorMetrics metrics) {
        this.detectors = java.util.Arrays.stream(OutlierDetector.Quantity.values())
                .map(quantity -> new OutlierDetector(quantity, config)).toList();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Finding> context) {
        this.context = context;
        this.baselines = context.getStateStore(MetricsTopology.BASELINES_STORE);
    }

    @Override
    public void process(Record<String, StepSample> record) {
        StepSample sample = record.value();
        List<Baseline> before = baselines.get(record.key());
        List<Baseline> after = new ArrayList<>(detectors.size());
        long detectedAt = context.currentSystemTimeMs();
        for (int i = 0; i < detectors.size(); i++) {
            OutlierDetector detector = detectors.get(i);
            Baseline state = before == null || before.size() <= i ? detector.initialState() : before.get(i);
            Detection<Baseline> detection = detector.apply(state, sample);
            after.add(detection.state());
            for (Finding finding : detection.findings()) {
                Finding stamped = finding.detectedAt(detectedAt);
                context.forward(new Record<>(stamped.fingerprint(), stamped, record.timestamp()));
                metrics.increment(DetectorMetrics.FINDINGS_EMITTED, stamped.detector());
            }
        }
        baselines.put(record.key(), after);
    }
}
