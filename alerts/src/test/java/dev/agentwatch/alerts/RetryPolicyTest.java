package dev.agentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(30));
    private final SplittableRandom random = new SplittableRandom(42);

    @Test
    void backsOffExponentiallyWithJitterBetweenHalfAndAllOfTheStep() {
        for (int retry = 1; retry <= 5; retry++) {
            long ceiling = Math.min(30_000, 500L << (retry - 1));
            for (int i = 0; i < 200; i++) {
                assertThat(policy.backoffBefore(retry, null, random).toMillis()).isBetween(ceiling / 2, ceiling);
            }
        }
    }

    @Test
    void jitterSpreadsRetries() {
        long distinct = java.util.stream.IntStream.range(0, 100)
                .mapToLong(i -> policy.backoffBefore(3, null, random).toMillis()).distinct().count();
        assertThat(distinct).isGreaterThan(50);
    }

    @Test
    void isCappedByMaxBackoff() {
        assertThat(policy.backoffBefore(30, null, random)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
    }

    @Test
    void honoursALongerRetryAfter() {
        assertThat(policy.backoffBefore(1, Duration.ofSeconds(7), random)).isEqualTo(Duration.ofSeconds(7));
        assertThat(policy.backoffBefore(1, Duration.ZERO, random).toMillis()).isBetween(250L, 500L);
    }
}
