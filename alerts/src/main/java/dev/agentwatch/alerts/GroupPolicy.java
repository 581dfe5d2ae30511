package dev.agentwatch.alerts;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything the group state machine needs besides its state and the time.
 *
 * @param timing         the route's group wait, interval and repeat
 * @param sendResolved   whether the receiver wants resolved notifications
 * @param resolveTimeout how long after its last finding an alert without an explicit end resolves
 */
public record GroupPolicy(GroupTiming timing, boolean sendResolved, Duration resolveTimeout) {
    public GroupPolicy {
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(resolveTimeout, "resolveTimeout");
        if (resolveTimeout.isNegative() || resolveTimeout.isZero()) {
            throw new IllegalArgumentException("resolve_timeout must be positive");
        }
    }
}
