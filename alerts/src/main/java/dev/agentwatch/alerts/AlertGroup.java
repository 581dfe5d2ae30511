package dev.agentwatch.alerts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One aggregation group and its notification log: the pure state machine behind grouping,
 * deduplication, repeats and resolved notifications, after Alertmanager's dispatcher and
 * notification pipeline. Time comes in as an argument; there is no I/O. Immutable.
 *
 * <p>Rules, applied at each due flush ({@link #flush}):
 * <ul>
 *   <li>the first flush is {@code group_wait} after the group opened, then every {@code group_interval};</li>
 *   <li>silenced alerts are left out of what is notified (but stay in the group);</li>
 *   <li>a notification goes out when an alert fires that was not notified as firing before, when
 *       alerts notified as firing have resolved (if the receiver wants resolved notifications), or
 *       when something still fires and {@code repeat_interval} has passed since the last one;</li>
 *   <li>resolved alerts leave the group once accounted for; an empty group is done.</li>
 * </ul>
 *
 * @param groupKey             the group's key
 * @param routeKey             the route that formed it
 * @param receiver             receiver name
 * @param groupLabels          group labels
 * @param alerts               alerts by fingerprint
 * @param openedAtEpochMillis  when the group opened (part of notification ids)
 * @param nextFlushEpochMillis when the next flush is due
 * @param lastNotified         the notification log entry, null before the first notification
 * @param sequence             notifications sent so far
 */
public record AlertGroup(String groupKey, String routeKey, String receiver, Map<String, String> groupLabels,
                         Map<String, Alert> alerts, long openedAtEpochMillis, long nextFlushEpochMillis,
                         NotificationLogEntry lastNotified, long sequence) {
    /**
     * Alerts one group holds at most. The group is one record in a changelog topic and each
     * notification carries all of it, and Kafka takes 1 MiB per record: a larger group would stop
     * alerting for everyone (128 alerts of up to 4 KiB each, labels and evidence, is half of it).
     * Past this, new alerts are dead-lettered as {@code group_full}; those held go on.
     */
    public static final int MAX_ALERTS = 128;

    public AlertGroup {
        Objects.requireNonNull(groupKey, "groupKey");
        Objects.requireNonNull(routeKey, "routeKey");
        Objects.requireNonNull(receiver, "receiver");
        groupLabels = Map.copyOf(groupLabels);
        alerts = Map.copyOf(alerts);
    }

    /** A new group holding {@code first}, due to flush {@code group_wait} from now. */
    public static AlertGroup open(RoutedAlert first, long nowEpochMillis, GroupPolicy policy) {
        return new AlertGroup(first.groupKey(), first.routeKey(), first.receiver(), first.groupLabels(),
                Map.of(first.alert().fingerprint(), first.alert()), nowEpochMillis,
                nowEpochMillis + policy.timing().groupWait().toMillis(), null, 0);
    }

    /**
     * This group with {@code routed}'s alert added or updated; the flush schedule does not move.
     * A new alert past {@link #MAX_ALERTS} is not added: see {@link #isFullFor}.
     */
    public AlertGroup with(RoutedAlert routed, long nowEpochMillis, GroupPolicy policy) {
        if (isFullFor(routed)) {
            return this;
        }
        Map<String, Alert> next = new LinkedHashMap<>(alerts);
        Alert incoming = routed.alert();
        next.merge(incoming.fingerprint(), incoming,
                (existing, newer) -> existing.updatedBy(newer, nowEpochMillis, policy.resolveTimeout()));
        return new AlertGroup(groupKey, routeKey, receiver, groupLabels, next, openedAtEpochMillis, nextFlushEpochMillis,
                lastNotified, sequence);
    }

    /** Whether {@code routed} is a new alert this group has no room for. */
    public boolean isFullFor(RoutedAlert routed) {
        return alerts.size() >= MAX_ALERTS && !alerts.containsKey(routed.alert().fingerprint());
    }

    /** The outcome of a flush: the group's next state (empty when done) and what to send, if anything. */
    public record Flush(Optional<AlertGroup> next, Optional<Notification> notification) {
    }

    /**
     * Flushes if due at {@code nowEpochMillis}; {@code muted} says whether a label set is silenced.
     */
    public Flush flush(long nowEpochMillis, GroupPolicy policy, Predicate<Map<String, String>> muted) {
        if (nowEpochMillis < nextFlushEpochMillis) {
            return new Flush(Optional.of(this), Optional.empty());
        }
        List<Alert> firing = new ArrayList<>();
        Set<String> mutedFiring = new HashSet<>();
        List<Alert> resolvedNotifiable = new ArrayList<>();
        Set<String> previouslyFiring = lastNotified == null ? Set.of() : lastNotified.firing();
        for (Alert alert : new TreeMap<>(alerts).values()) {
            if (alert.isResolvedAt(nowEpochMillis, policy.resolveTimeout())) {
                if (previouslyFiring.contains(alert.fingerprint())) {
                    resolvedNotifiable.add(alert);
                }
            } else if (muted.test(alert.labels())) {
                mutedFiring.add(alert.fingerprint());
            } else {
                firing.add(alert);
            }
        }
        Set<String> firingIds = new HashSet<>();
        firing.forEach(a -> firingIds.add(a.fingerprint()));
        Set<String> resolvedIds = new HashSet<>();
        resolvedNotifiable.forEach(a -> resolvedIds.add(a.fingerprint()));

        NotificationReason reason = reasonToNotify(firingIds, resolvedIds, policy, nowEpochMillis);
        NotificationLogEntry log = lastNotified;
        long nextSequence = sequence;
        Optional<Notification> notification = Optional.empty();
        if (reason != null) {
            List<NotifiedAlert> carried = new ArrayList<>();
            firing.forEach(a -> carried.add(notified(a, false, policy)));
            if (policy.sendResolved()) {
                resolvedNotifiable.forEach(a -> carried.add(notified(a, true, policy)));
            }
            nextSequence = sequence + 1;
            notification = Optional.of(new Notification(notificationId(nextSequence), receiver, groupKey, reason, groupLabels,
                    carried, nowEpochMillis));
            Set<String> stillFiring = new HashSet<>(firingIds);
            previouslyFiring.stream().filter(mutedFiring::contains).forEach(stillFiring::add);
            log = new NotificationLogEntry(stillFiring, policy.sendResolved() ? resolvedIds : Set.of(), nowEpochMillis);
        } else if (!resolvedIds.isEmpty()) {
            // Resolved alerts the receiver does not want to hear about: forget them, so that the
            // same condition firing again counts as new.
            Set<String> stillFiring = new HashSet<>(previouslyFiring);
            stillFiring.removeAll(resolvedIds);
            log = new NotificationLogEntry(stillFiring, lastNotified.resolved(), lastNotified.sentAtEpochMillis());
        }

        Map<String, Alert> remaining = new LinkedHashMap<>();
        alerts.forEach((fingerprint, alert) -> {
            if (!alert.isResolvedAt(nowEpochMillis, policy.resolveTimeout())) {
                remaining.put(fingerprint, alert);
            }
        });
        if (remaining.isEmpty()) {
            return new Flush(Optional.empty(), notification);
        }
        AlertGroup next = new AlertGroup(groupKey, routeKey, receiver, groupLabels, remaining, openedAtEpochMillis,
                nowEpochMillis + policy.timing().groupInterval().toMillis(), log, nextSequence);
        return new Flush(Optional.of(next), notification);
    }

    private NotificationReason reasonToNotify(Set<String> firing, Set<String> resolved, GroupPolicy policy, long now) {
        if (lastNotified == null) {
            return firing.isEmpty() ? null : NotificationReason.FIRST_NOTIFICATION;
        }
        if (!lastNotified.firing().containsAll(firing)) {
            return NotificationReason.NEW_ALERTS_ADDED;
        }
        if (!resolved.isEmpty() && policy.sendResolved()) {
            return firing.isEmpty() ? NotificationReason.ALL_ALERTS_RESOLVED : NotificationReason.SOME_ALERTS_RESOLVED;
        }
        if (!firing.isEmpty() && now - lastNotified.sentAtEpochMillis() >= policy.timing().repeatInterval().toMillis()) {
            return NotificationReason.REPEAT_INTERVAL_ELAPSED;
        }
        return null;
    }

    private static NotifiedAlert notified(Alert alert, boolean resolved, GroupPolicy policy) {
        long endsAt = resolved ? alert.effectiveEndEpochMillis(policy.resolveTimeout()) : alert.endsAtEpochMillis();
        return new NotifiedAlert(alert.fingerprint(), resolved, alert.labels(), alert.annotations(),
                alert.startsAtEpochMillis(), endsAt, alert.generatorUrl());
    }

    private String notificationId(long number) {
        return shortHash(groupKey) + "-" + openedAtEpochMillis + "-" + number;
    }

    /** First 16 hex digits of SHA-256: stable, short, no PII from label values. */
    static String shortHash(String text) {
        return HexFormat.of().formatHex(sha256(text)).substring(0, 16);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
