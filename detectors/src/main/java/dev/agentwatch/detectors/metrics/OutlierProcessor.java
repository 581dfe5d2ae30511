package dev.agentwatch.detectors.metrics;

import dev.agentwatch.detectors.DetectorMetrics;
import dev.agentwatch.detectors.detect.Baseline;
import dev.agentwatch.detectors.detect.Detection;
import dev.agentwatch.detectors.detect.OutlierDetector;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.StepSample;
import dev.agentwatch.model.StepSamples;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs the latency, token and cost {@link OutlierDetector}s on each step sample (a record holds
 * one run's samples of one metric key), with their baselines per metric key in a RocksDB store,
 * and forwards findings keyed by fingerprint.
 *
 * <p>Metric keys come and go (each agent version makes new ones), so a baseline no step has
 * updated for {@link #RETENTION} of event time is forgotten; should its step come back, it warms
 * up again. The store is swept every hour of stream time, at most {@link #SWEPT_PER_PUNCTUATION}
 * keys at a time.
 */
final class OutlierProcessor implements Processor<String, StepSamples, String, Finding> {
    static final Duration RETENTION = Duration.ofDays(30);
    static final Duration SWEEP_EVERY = Duration.ofHours(1);
    static final int SWEPT_PER_PUNCTUATION = 100_000;

    private final List<OutlierDetector> detectors;
    private final DetectorMetrics metrics;
    private ProcessorContext<String, Finding> context;
    private KeyValueStore<String, StepBaselines> baselines;
    /** Where the next sweep starts: the key after the last one swept, null for the first. */
    private String sweepFrom;

    OutlierProcessor(OutlierDetector.Config config, DetectorMetrics metrics) {
        this.detectors = java.util.Arrays.stream(OutlierDetector.Quantity.values())
                .map(quantity -> new OutlierDetector(quantity, config)).toList();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Finding> context) {
        this.context = context;
        this.baselines = context.getStateStore(MetricsTopology.BASELINES_STORE);
        context.schedule(SWEEP_EVERY, PunctuationType.STREAM_TIME, this::forgetStale);
    }

    @Override
    public void process(Record<String, StepSamples> record) {
        StepBaselines stored = baselines.get(record.key());
        List<Baseline> before = stored == null ? List.of() : stored.quantities();
        List<Baseline> state = new ArrayList<>(detectors.size());
        for (int i = 0; i < detectors.size(); i++) {
            state.add(i < before.size() ? before.get(i) : detectors.get(i).initialState());
        }
        long detectedAt = context.currentSystemTimeMs();
        // The samples in their steps' order, as if each were its own record: one read and one
        // write of the baselines for all of them.
        for (StepSample sample : record.value().samples()) {
            for (int i = 0; i < detectors.size(); i++) {
                Detection<Baseline> detection = detectors.get(i).apply(state.get(i), sample);
                state.set(i, detection.state());
                for (Finding finding : detection.findings()) {
                    Finding stamped = finding.detectedAt(detectedAt);
                    context.forward(new Record<>(stamped.fingerprint(), stamped, record.timestamp()));
                    metrics.increment(DetectorMetrics.FINDINGS_EMITTED, stamped.detector());
                }
            }
        }
        long lastSeen = stored == null ? record.timestamp() : Math.max(stored.lastSeenMillis(), record.timestamp());
        baselines.put(record.key(), new StepBaselines(state, lastSeen));
    }

    /** Forgets baselines last updated more than {@link #RETENTION} before {@code streamTime}. */
    private void forgetStale(long streamTime) {
        long forgetBefore = streamTime - RETENTION.toMillis();
        List<String> stale = new ArrayList<>();
        Map<String, StepBaselines> unstamped = new LinkedHashMap<>();
        String next = null;
        try (KeyValueIterator<String, StepBaselines> entries = baselines.range(sweepFrom, null)) {
            int swept = 0;
            while (entries.hasNext()) {
                KeyValue<String, StepBaselines> entry = entries.next();
                if (swept++ == SWEPT_PER_PUNCTUATION) {
                    next = entry.key;
                    break;
                }
                if (entry.value.lastSeenMillis() == StepBaselines.NOT_RECORDED) {
                    // Written before the time was kept: counted from now.
                    unstamped.put(entry.key, new StepBaselines(entry.value.quantities(), streamTime));
                } else if (entry.value.lastSeenMillis() < forgetBefore) {
                    stale.add(entry.key);
                }
            }
        }
        sweepFrom = next;
        unstamped.forEach(baselines::put);
        stale.forEach(baselines::delete);
        metrics.add(DetectorMetrics.BASELINES_FORGOTTEN, "retention", stale.size());
    }
}
