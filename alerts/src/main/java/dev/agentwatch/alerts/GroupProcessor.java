package dev.agentwatch.alerts;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps aggregation groups in a changelog-backed store and, every tick, lets each group's pure
 * state machine ({@link AlertGroup}) decide what to send, with the injected clock's time and the
 * silences in force. Decided notifications go to the notifications topic in the same transaction
 * as the new group state (exactly-once), so a restart neither forgets nor repeats a decision.
 */
final class GroupProcessor implements Processor<String, RoutedAlert, String, Notification> {
    private static final Logger LOG = LoggerFactory.getLogger(GroupProcessor.class);

    private final AlertsConfig config;
    private final Map<String, Route> routesByKey;
    private final Clock clock;
    private final Duration tick;
    private final AlertsMetrics metrics;
    private ProcessorContext<String, Notification> context;
    private KeyValueStore<String, AlertGroup> groups;
    private KeyValueStore<String, Silence> silences;

    GroupProcessor(AlertsConfig config, Clock clock, Duration tick, AlertsMetrics metrics) {
        this.config = config;
        this.routesByKey = config.routesByKey();
        this.clock = clock;
        this.tick = tick;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Notification> context) {
        this.context = context;
        this.groups = context.getStateStore(AlertsTopology.GROUPS_STORE);
        this.silences = context.getStateStore(AlertsTopology.SILENCES_STORE);
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, ignored -> flushDue());
    }

    @Override
    public void process(Record<String, RoutedAlert> record) {
        RoutedAlert routed = record.value();
        Optional<GroupPolicy> policy = policyOf(routed.routeKey(), routed.receiver());
        if (policy.isEmpty()) {
            // Routed by an older config whose route is gone: the finding is re-routed by nobody.
            LOG.atWarn().setMessage("alert for a route no longer configured, dropped").addKeyValue("group_key", record.key())
                    .addKeyValue("route", routed.routeKey()).log();
            metrics.recordDeadLetter("route_removed");
            return;
        }
        long now = clock.millis();
        AlertGroup existing = groups.get(record.key());
        if (existing != null && existing.isFullFor(routed)) {
            LOG.atWarn().setMessage("alert group full, alert not grouped").addKeyValue("group_key", record.key())
                    .addKeyValue("max_alerts", AlertGroup.MAX_ALERTS).log();
            metrics.recordDeadLetter("group_full");
            return;
        }
        AlertGroup next = existing == null ? AlertGroup.open(routed, now, policy.get()) : existing.with(routed, now, policy.get());
        groups.put(record.key(), next);
        metrics.recordGrouped(routed.receiver());
    }

    private Optional<GroupPolicy> policyOf(String routeKey, String receiverName) {
        Route route = routesByKey.get(routeKey);
        Receiver receiver = config.receivers().get(receiverName);
        if (route == null || receiver == null) {
            return Optional.empty();
        }
        return Optional.of(new GroupPolicy(route.timing(), receiver.sendResolved(), config.resolveTimeout()));
    }

    private void flushDue() {
        long now = clock.millis();
        List<Silence> inForce = new ArrayList<>();
        try (KeyValueIterator<String, Silence> all = silences.all()) {
            all.forEachRemaining(kv -> {
                if (kv.value != null && "active".equals(kv.value.state(now))) {
                    inForce.add(kv.value);
                }
            });
        }
        Predicate<Map<String, String>> muted = labels -> inForce.stream().anyMatch(s -> s.mutes(labels, now));
        List<KeyValue<String, AlertGroup>> due = new ArrayList<>();
        try (KeyValueIterator<String, AlertGroup> all = groups.all()) {
            all.forEachRemaining(kv -> {
                if (kv.value.nextFlushEpochMillis() <= now) {
                    due.add(kv);
                }
            });
        }
        for (KeyValue<String, AlertGroup> entry : due) {
            AlertGroup group = entry.value;
            Optional<GroupPolicy> policy = policyOf(group.routeKey(), group.receiver());
            if (policy.isEmpty()) {
                LOG.atWarn().setMessage("group of a route no longer configured, removed").addKeyValue("group_key", entry.key).log();
                groups.delete(entry.key);
                continue;
            }
            AlertGroup.Flush flush = group.flush(now, policy.get(), muted);
            flush.notification().ifPresent(notification -> {
                metrics.recordNotification(notification.receiver());
                LOG.atInfo().setMessage("notification decided").addKeyValue("receiver", notification.receiver())
                        .addKeyValue("group_key", notification.groupKey()).addKeyValue("reason", notification.reason().label())
                        .addKeyValue("notification_id", notification.id()).addKeyValue("alerts", notification.alerts().size()).log();
                // The decision clock may be injected; the Kafka timestamp is the wall clock's,
                // which the broker checks against its own.
                context.forward(new Record<>(entry.key, notification, context.currentSystemTimeMs()));
            });
            if (flush.next().isPresent()) {
                groups.put(entry.key, flush.next().get());
            } else {
                groups.delete(entry.key);
            }
        }
    }
}
