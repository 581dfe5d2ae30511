package dev.agentwatch.alerts;

import java.time.Duration;
import java.util.Objects;

/**
 * When a group notifies: the first time {@code groupWait} after it opened, then at most every
 * {@code groupInterval} when its alerts change, and again after {@code repeatInterval} while
 * nothing changes but something still fires.
 */
public record GroupTiming(Duration groupWait, Duration groupInterval, Duration repeatInterval) {
    public static final GroupTiming DEFAULTS = new GroupTiming(Duration.ofSeconds(30), Duration.ofMinutes(5),
            Duration.ofHours(4));

    public GroupTiming {
        Objects.requireNonNull(groupWait, "groupWait");
        Objects.requireNonNull(groupInterval, "groupInterval");
        Objects.requireNonNull(repeatInterval, "repeatInterval");
        if (groupWait.isNegative()) {
            throw new IllegalArgumentException("group_wait must not be negative");
        }
        if (groupInterval.isNegative() || groupInterval.isZero()) {
            throw new IllegalArgumentException("group_interval must be positive");
        }
        if (repeatInterval.isNegative() || repeatInterval.isZero()) {
            throw new IllegalArgumentException("repeat_interval must be positive");
        }
    }
}
