package dev.agentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final RateLimiter limiter = new RateLimiter();

    @Test
    void allowsABurstUpToTheLimitThenRefillsOverTime() {
        long now = 1_000_000;
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("slack", 3, now)).isTrue();
        }
        assertThat(limiter.tryAcquire("slack", 3, now)).isFalse();
        assertThat(limiter.tryAcquire("slack", 3, now + 19_000)).as("a token takes 20 s at 3 per minute").isFalse();
        assertThat(limiter.tryAcquire("slack", 3, now + 20_000)).isTrue();
        assertThat(limiter.tryAcquire("slack", 3, now + 20_000)).isFalse();
    }

    @Test
    void receiversHaveSeparateBucketsAndZeroMeansUnlimited() {
        assertThat(limiter.tryAcquire("pager", 1, 0)).isTrue();
        assertThat(limiter.tryAcquire("pager", 1, 0)).isFalse();
        assertThat(limiter.tryAcquire("slack", 1, 0)).isTrue();
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.tryAcquire("hook", 0, 0)).isTrue();
        }
    }
}
