package dev.agentwatch.alerts;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one aggregation group has to tell one receiver, decided by the group state machine and
 * kept on the notifications topic until delivered.
 *
 * @param id                  unique and stable: {@code <group hash>-<sequence>}; receivers may dedupe on it
 * @param receiver            receiver name
 * @param groupKey            the group's key
 * @param reason              why it is sent
 * @param groupLabels         the group's labels
 * @param alerts              firing alerts, then resolved ones
 * @param createdAtEpochMillis when the state machine decided to send it
 */
public record Notification(String id, String receiver, String groupKey, NotificationReason reason,
                           Map<String, String> groupLabels, List<NotifiedAlert> alerts, long createdAtEpochMillis) {
    public Notification {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(groupKey, "groupKey");
        Objects.requireNonNull(reason, "reason");
        groupLabels = Map.copyOf(groupLabels);
        alerts = List.copyOf(alerts);
        if (alerts.isEmpty()) {
            throw new IllegalArgumentException("a notification carries at least one alert");
        }
    }

    /** {@code firing} while any alert fires, {@code resolved} when all have resolved. */
    public String status() {
        return alerts.stream().allMatch(NotifiedAlert::resolved) ? "resolved" : "firing";
    }

    public List<NotifiedAlert> firing() {
        return alerts.stream().filter(a -> !a.resolved()).toList();
    }

    public List<NotifiedAlert> resolvedAlerts() {
        return alerts.stream().filter(NotifiedAlert::resolved).toList();
    }
}
