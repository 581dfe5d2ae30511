package dev.agentwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InFlightLimiterTest {
    @Test
    void refusesRequestsBeyondTheLimitWith429AndTakesThemAgainOnceReleased() throws Exception {
        InFlightLimiter limiter = new InFlightLimiter(2, 1000);
        limiter.acquireRequest();
        limiter.acquireRequest();

        assertThatThrownBy(limiter::acquireRequest).isInstanceOfSatisfying(Rejection.class, r -> {
            assertThat(r.httpStatus()).isEqualTo(429);
            assertThat(r.retryAfterSeconds()).isPositive();
            assertThat(r.grpcCode()).isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED);
        });
        assertThat(limiter.requestsInFlight()).isEqualTo(2);
        limiter.releaseRequest();
        limiter.acquireRequest();
        assertThat(limiter.requestsInFlight()).isEqualTo(2);
    }

    @Test
    void boundsBytesHeldAndGivesThemBack() throws Exception {
        InFlightLimiter limiter = new InFlightLimiter(10, 1000);
        limiter.acquireBytes(600);

        assertThatThrownBy(() -> limiter.acquireBytes(500)).isInstanceOf(Rejection.class)
                .hasMessageContaining("more than 1000 bytes");
        assertThat(limiter.bytesInFlight()).isEqualTo(600);
        limiter.releaseBytes(600);
        limiter.acquireBytes(1000);
        assertThat(limiter.bytesInFlight()).isEqualTo(1000);
    }
}
