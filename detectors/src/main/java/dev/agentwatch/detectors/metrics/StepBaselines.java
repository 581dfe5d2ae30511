package dev.agentwatch.detectors.metrics;

import dev.agentwatch.detectors.detect.Baseline;
import java.util.List;

/**
 * The outlier baselines of one metric key, one per judged quantity (in {@code
 * OutlierDetector.Quantity} order), and the event time of the latest step that updated them.
 *
 * @param quantities     the baselines
 * @param lastSeenMillis event time of the latest step, or {@link #NOT_RECORDED} in states written
 *                       before it was kept
 */
record StepBaselines(List<Baseline> quantities, long lastSeenMillis) {
    static final long NOT_RECORDED = Long.MIN_VALUE;

    StepBaselines {
        quantities = List.copyOf(quantities);
    }
}
