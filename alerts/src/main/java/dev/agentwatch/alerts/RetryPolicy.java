package dev.agentwatch.alerts;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter for deliveries: before retry {@code n} (1-based) it waits a
 * random time between half and all of {@code min(maxBackoff, initialBackoff * 2^(n-1))}, or the
 * receiver's {@code Retry-After} if that is longer. Pure; thread-safe.
 *
 * @param maxAttempts    attempts in all, the first included
 * @param initialBackoff backoff before the first retry
 * @param maxBackoff     cap of the exponential backoff
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    public static final RetryPolicy DEFAULTS = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30));

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("delivery.max_attempts must be at least 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("delivery backoffs: need 0 <= initial_backoff <= max_backoff");
        }
    }

    /** The wait before retry number {@code retry} (1 = the second attempt). */
    public Duration backoffBefore(int retry, Duration retryAfter, RandomGenerator random) {
        long cap = maxBackoff.toMillis();
        long exponential = initialBackoff.toMillis() << Math.min(retry - 1, 30);
        long ceiling = Math.min(cap, exponential < 0 ? cap : exponential);
        long half = ceiling / 2;
        long jittered = half + random.nextLong(ceiling - half + 1);
        long waitMillis = retryAfter == null ? jittered : Math.max(jittered, retryAfter.toMillis());
        return Duration.ofMillis(waitMillis);
    }
}
