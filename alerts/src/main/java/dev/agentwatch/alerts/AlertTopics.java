package dev.agentwatch.alerts;

import dev.agentwatch.topics.JsonSerde;
import dev.agentwatch.topics.Topic;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The alerts module's own topics. They live here rather than in {@code Topics} because their
 * value types are this module's records and no other module reads or writes them; findings in
 * and dead letters out use the shared {@code Topics}.
 */
public final class AlertTopics {
    /**
     * Notifications decided by the group state machine, keyed by group key, waiting for delivery
     * (the outbox). Written transactionally with the group state; read with read_committed.
     */
    public static final Topic<String, Notification> NOTIFICATIONS = new Topic<>(
            "agentwatch_alert_notifications", Serdes.String(), JsonSerde.of(Notification.class),
            Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(7L * 24 * 3600 * 1000)));

    /** Silences keyed by id, compacted: the latest version of every silence is kept for good. */
    public static final Topic<String, Silence> SILENCES = new Topic<>(
            "agentwatch_alert_silences", Serdes.String(), JsonSerde.of(Silence.class),
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

    public static final List<Topic<?, ?>> ALL = List.of(NOTIFICATIONS, SILENCES);

    private AlertTopics() {
    }
}
