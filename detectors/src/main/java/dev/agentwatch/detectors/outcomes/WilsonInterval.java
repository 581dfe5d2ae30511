package dev.agentwatch.detectors.outcomes;

/**
 * Wilson score interval of a proportion: unlike the normal approximation it stays inside [0, 1]
 * and behaves at small counts and at rates near 0, which is where silent-failure rates live.
 * The ClickHouse rate views compute the same formula.
 *
 * @param successes events counted (e.g. silent failures)
 * @param trials    trials (e.g. runs with outcomes)
 * @param rate      successes / trials, NaN when there are no trials
 * @param lower     lower bound, 0 when there are no trials
 * @param upper     upper bound, 1 when there are no trials
 */
public record WilsonInterval(long successes, long trials, double rate, double lower, double upper) {
    /** z for a two-sided 95% interval. */
    public static final double Z95 = 1.959963984540054;

    public WilsonInterval {
        if (trials < 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials, got " + successes + " of " + trials);
        }
    }

    public static WilsonInterval of(long successes, long trials) {
        return of(successes, trials, Z95);
    }

    public static WilsonInterval of(long successes, long trials, double z) {
        if (trials < 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials, got " + successes + " of " + trials);
        }
        if (trials == 0) {
            return new WilsonInterval(0, 0, Double.NaN, 0, 1);
        }
        double n = trials;
        double p = successes / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
        // At 0 and at n successes the bounds are exactly 0 and 1; rounding would leave 1e-16 off.
        double lower = successes == 0 ? 0 : Math.max(0, centre - half);
        double upper = successes == trials ? 1 : Math.min(1, centre + half);
        return new WilsonInterval(successes, trials, p, lower, upper);
    }
}
