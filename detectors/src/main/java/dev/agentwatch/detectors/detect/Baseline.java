package dev.agentwatch.detectors.detect;

/**
 * A robust running baseline of a positive quantity, in log space: an exponentially weighted
 * centre (≈ the log of the typical value) and an exponentially weighted mean absolute deviation.
 * Log space makes "3× slower" the same distance whatever the scale; updates clipped to the
 * outlier threshold keep one spike from dragging the baseline.
 *
 * @param samples  values seen
 * @param center   weighted mean of ln(value)
 * @param spread   weighted mean absolute deviation of ln(value) from the centre
 */
public record Baseline(long samples, double center, double spread) {
    public static final Baseline EMPTY = new Baseline(0, 0, 0);

    public Baseline {
        if (samples < 0 || !Double.isFinite(center) || !(spread >= 0) || Double.isInfinite(spread)) {
            throw new IllegalArgumentException("bad baseline: samples=" + samples + " center=" + center + " spread=" + spread);
        }
    }

    /** The baseline's typical value, e^centre. */
    public double typical() {
        return Math.exp(center);
    }

    /**
     * This baseline updated with {@code value} (positive). The first samples average with equal
     * weights; after {@code 1/alpha} samples the weights decay by {@code alpha}. A value is clipped
     * to {@code clip} spreads from the centre before it is learned.
     */
    public Baseline learn(double value, double alpha, double clip, double minSpread) {
        double x = Math.log(value);
        if (samples == 0) {
            return new Baseline(1, x, 0);
        }
        double scale = Math.max(spread, minSpread);
        double clipped = Math.max(center - clip * scale, Math.min(center + clip * scale, x));
        double weight = Math.max(alpha, 1.0 / (samples + 1));
        double nextCenter = center + weight * (clipped - center);
        double nextSpread = spread + weight * (Math.abs(clipped - center) - spread);
        return new Baseline(samples + 1, nextCenter, nextSpread);
    }
}
