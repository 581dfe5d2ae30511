package dev.agentwatch.alerts;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a notification was sent; the labels are Alertmanager's {@code notification_reason} strings. */
public enum NotificationReason {
    FIRST_NOTIFICATION("first notification"),
    NEW_ALERTS_ADDED("new alerts added"),
    SOME_ALERTS_RESOLVED("some alerts resolved"),
    ALL_ALERTS_RESOLVED("all alerts resolved"),
    REPEAT_INTERVAL_ELAPSED("repeat interval elapsed");

    private final String label;

    NotificationReason(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static NotificationReason ofLabel(String label) {
        for (NotificationReason reason : values()) {
            if (reason.label.equals(label)) {
                return reason;
            }
        }
        throw new IllegalArgumentException("unknown notification reason '" + label + "'");
    }
}
