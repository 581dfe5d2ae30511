package dev.agentwatch.alerts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentwatch.model.Severity;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A PagerDuty Events API v2 event for one group notification: {@code trigger} while anything
 * fires, {@code resolve} when the whole group has resolved, with the group key's SHA-256 as
 * {@code dedup_key} (as Alertmanager does), so re-sends update one PagerDuty alert. Pure.
 */
final class PagerDutyPayload {
    static final int MAX_SUMMARY = 1024;
    static final int MAX_LINKS = 5;

    private PagerDutyPayload() {
    }

    static ObjectNode of(Notification notification, Receiver.PagerDuty receiver, String externalUrl) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("routing_key", receiver.routingKey());
        boolean resolved = notification.status().equals("resolved");
        body.put("event_action", resolved ? "resolve" : "trigger");
        body.put("dedup_key", dedupKey(notification.groupKey()));
        if (resolved) {
            return body;
        }
        ObjectNode payload = body.putObject("payload");
        payload.put("summary", truncate(summary(notification), MAX_SUMMARY));
        payload.put("source", receiver.source());
        payload.put("severity", severity(notification));
        payload.put("timestamp", WebhookPayload.rfc3339(notification.createdAtEpochMillis()));
        var common = WebhookPayload.common(notification.alerts(), NotifiedAlert::labels);
        putIfPresent(payload, "component", common.get("agent"));
        putIfPresent(payload, "group", common.get("tenant"));
        putIfPresent(payload, "class", common.get("alertname"));
        ObjectNode details = payload.putObject("custom_details");
        details.put("firing", notification.firing().size());
        details.put("resolved", notification.resolvedAlerts().size());
        details.put("notification_reason", notification.reason().label());
        details.put("group_key", notification.groupKey());
        ArrayNode alerts = details.putArray("alerts");
        for (NotifiedAlert alert : notification.alerts()) {
            ObjectNode node = alerts.addObject();
            node.put("status", alert.status());
            node.put("summary", alert.annotations().getOrDefault("summary", ""));
            node.put("evidence", alert.annotations().getOrDefault("evidence", ""));
            node.put("run_id", alert.labels().getOrDefault("run_id", ""));
            node.put("fingerprint", alert.fingerprint());
        }
        body.put("client", "agentwatch");
        if (!externalUrl.isEmpty()) {
            body.put("client_url", externalUrl);
        }
        Set<String> hrefs = new LinkedHashSet<>();
        notification.alerts().forEach(a -> {
            if (!a.generatorUrl().isEmpty()) {
                hrefs.add(a.generatorUrl());
            }
        });
        ArrayNode links = body.putArray("links");
        hrefs.stream().limit(MAX_LINKS).forEach(href -> links.addObject().put("href", href).put("text", "agentwatch in Grafana"));
        return body;
    }

    static String dedupKey(String groupKey) {
        return HexFormat.of().formatHex(AlertGroup.sha256(groupKey));
    }

    /** The highest severity among firing alerts, in PagerDuty's words; {@code error} if none says. */
    static String severity(Notification notification) {
        Severity highest = null;
        for (NotifiedAlert alert : notification.firing()) {
            try {
                Severity s = Severity.valueOf(alert.labels().getOrDefault("severity", "").toUpperCase(Locale.ROOT));
                highest = highest == null || s.compareTo(highest) > 0 ? s : highest;
            } catch (IllegalArgumentException e) {
                // Not one of ours: leave it to the default.
            }
        }
        return highest == null ? "error" : highest.label();
    }

    static String summary(Notification notification) {
        var common = WebhookPayload.common(notification.alerts(), NotifiedAlert::labels);
        StringBuilder text = new StringBuilder("[FIRING:").append(notification.firing().size()).append("] ")
                .append(common.getOrDefault("alertname", "agentwatch"));
        if (common.containsKey("agent")) {
            text.append(" agent=").append(common.get("agent"));
        }
        if (common.containsKey("tenant")) {
            text.append(" tenant=").append(common.get("tenant"));
        }
        String first = notification.firing().getFirst().annotations().getOrDefault("summary", "");
        if (!first.isEmpty()) {
            text.append(": ").append(first);
        }
        return text.toString();
    }

    static String truncate(String text, int maxCodePoints) {
        if (text.codePointCount(0, text.length()) <= maxCodePoints) {
            return text;
        }
        int end = text.offsetByCodePoints(0, maxCodePoints - 1);
        return text.substring(0, end) + "…";
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }
}
