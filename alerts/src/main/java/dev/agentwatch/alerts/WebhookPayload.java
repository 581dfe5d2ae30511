package dev.agentwatch.alerts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The generic webhook body: Alertmanager's webhook message, version 4, field for field (plus
 * {@code notification_reason}), so existing Alertmanager webhook receivers read it unchanged.
 * Pure.
 */
final class WebhookPayload {
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final String REGEX_META = "\\.+*?()|[]{}^$";

    private WebhookPayload() {
    }

    static ObjectNode of(Notification notification, String receiverName, String externalUrl, int maxAlerts) {
        List<NotifiedAlert> alerts = notification.alerts();
        int truncated = 0;
        if (maxAlerts > 0 && alerts.size() > maxAlerts) {
            truncated = alerts.size() - maxAlerts;
            alerts = alerts.subList(0, maxAlerts);
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("version", "4");
        body.put("groupKey", notification.groupKey());
        body.put("truncatedAlerts", truncated);
        body.put("status", notification.status());
        body.put("receiver", quoteMeta(receiverName));
        putMap(body, "groupLabels", notification.groupLabels());
        putMap(body, "commonLabels", common(notification.alerts(), NotifiedAlert::labels));
        putMap(body, "commonAnnotations", common(notification.alerts(), NotifiedAlert::annotations));
        body.put("externalURL", externalUrl);
        body.put("notification_reason", notification.reason().label());
        ArrayNode array = body.putArray("alerts");
        for (NotifiedAlert alert : alerts) {
            ObjectNode node = array.addObject();
            node.put("status", alert.status());
            putMap(node, "labels", alert.labels());
            putMap(node, "annotations", alert.annotations());
            node.put("startsAt", rfc3339(alert.startsAtEpochMillis()));
            node.put("endsAt", alert.endsAtEpochMillis() > 0 ? rfc3339(alert.endsAtEpochMillis()) : ZERO_TIME);
            node.put("generatorURL", alert.generatorUrl());
            node.put("fingerprint", alert.fingerprint());
        }
        return body;
    }

    /** Label pairs every alert shares, as Alertmanager's commonLabels / commonAnnotations. */
    static Map<String, String> common(List<NotifiedAlert> alerts, Function<NotifiedAlert, Map<String, String>> pairs) {
        Map<String, String> shared = new LinkedHashMap<>(pairs.apply(alerts.getFirst()));
        for (NotifiedAlert alert : alerts.subList(1, alerts.size())) {
            Map<String, String> other = pairs.apply(alert);
            shared.entrySet().removeIf(e -> !e.getValue().equals(other.get(e.getKey())));
        }
        return shared;
    }

    static String rfc3339(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    /** Alertmanager passes receiver names through Go's regexp.QuoteMeta; we do the same for compatibility. */
    static String quoteMeta(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (REGEX_META.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static void putMap(ObjectNode parent, String field, Map<String, String> map) {
        ObjectNode node = parent.putObject(field);
        new TreeMap<>(map).forEach(node::put);
    }
}
