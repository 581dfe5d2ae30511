package dev.agentwatch.alerts;

import java.util.Objects;
import java.util.Set;

/**
 * What a group last told its receiver, as Alertmanager's notification log keeps it: the basis
 * for deduplication and repeats.
 *
 * @param firing            fingerprints notified as firing
 * @param resolved          fingerprints notified as resolved
 * @param sentAtEpochMillis when
 */
public record NotificationLogEntry(Set<String> firing, Set<String> resolved, long sentAtEpochMillis) {
    public NotificationLogEntry {
        firing = Set.copyOf(Objects.requireNonNull(firing, "firing"));
        resolved = Set.copyOf(Objects.requireNonNull(resolved, "resolved"));
    }
}
