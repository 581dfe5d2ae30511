package dev.agentwatch.collector;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the requests in flight and the decoded bytes they hold, so that a slow or absent Kafka
 * turns into quick 429s (retry later) instead of memory exhaustion. Never blocks. Thread-safe.
 */
final class InFlightLimiter {
    private final int maxRequests;
    private final long maxBytes;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    InFlightLimiter(int maxRequests, long maxBytes) {
        this.maxRequests = maxRequests;
        this.maxBytes = maxBytes;
    }

    /** Takes a request slot, or refuses with 429 when all are taken. Pair with {@link #releaseRequest()}. */
    void acquireRequest() throws Rejection {
        if (requests.incrementAndGet() > maxRequests) {
            requests.decrementAndGet();
            throw busy(maxRequests + " requests are in flight");
        }
    }

    void releaseRequest() {
        requests.decrementAndGet();
    }

    /** Accounts {@code count} decoded bytes, or refuses with 429. Pair with {@link #releaseBytes(long)}. */
    void acquireBytes(long count) throws Rejection {
        if (bytes.addAndGet(count) > maxBytes) {
            bytes.addAndGet(-count);
            throw busy("requests in flight hold more than " + maxBytes + " bytes");
        }
    }

    void releaseBytes(long count) {
        bytes.addAndGet(-count);
    }

    int requestsInFlight() {
        return requests.get();
    }

    long bytesInFlight() {
        return bytes.get();
    }

    private static Rejection busy(String why) {
        return new Rejection(429, "too_many_in_flight", "collector busy, retry later: " + why, 1);
    }
}
