package dev.agentwatch.alerts;

import java.util.HashMap;
import java.util.Map;

/**
 * A token bucket per receiver: up to {@code maxPerMinute} notifications in a burst, refilled
 * at {@code maxPerMinute} per minute. Time comes in as an argument. Not thread-safe: one
 * delivery loop owns it.
 */
final class RateLimiter {
    private record Bucket(double tokens, long atEpochMillis) {
    }

    private final Map<String, Bucket> buckets = new HashMap<>();

    /** Takes a token for {@code receiver} if one is left; {@code maxPerMinute} 0 means unlimited. */
    boolean tryAcquire(String receiver, int maxPerMinute, long nowEpochMillis) {
        if (maxPerMinute <= 0) {
            return true;
        }
        Bucket bucket = buckets.getOrDefault(receiver, new Bucket(maxPerMinute, nowEpochMillis));
        double refilled = Math.min(maxPerMinute,
                bucket.tokens + Math.max(0, nowEpochMillis - bucket.atEpochMillis) * maxPerMinute / 60_000.0);
        if (refilled < 1) {
            buckets.put(receiver, new Bucket(refilled, nowEpochMillis));
            return false;
        }
        buckets.put(receiver, new Bucket(refilled - 1, nowEpochMillis));
        return true;
    }
}
