package dev.agentwatch.alerts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Slack incoming-webhook message: {@code text} as the notification fallback and mrkdwn
 * {@code blocks}: a header line, then one section per alert (at most {@value #MAX_ALERT_SECTIONS},
 * Slack allows 50 blocks) with its summary, evidence and link. Pure.
 */
final class SlackPayload {
    static final int MAX_ALERT_SECTIONS = 10;

    private SlackPayload() {
    }

    static ObjectNode of(Notification notification) {
        var common = WebhookPayload.common(notification.alerts(), NotifiedAlert::labels);
        String status = notification.status().equals("resolved") ? "RESOLVED" : "FIRING:" + notification.firing().size();
        String headline = "[" + status + "] " + common.getOrDefault("alertname", "agentwatch")
                + (common.containsKey("agent") ? " agent " + common.get("agent") : "")
                + (common.containsKey("tenant") ? " (tenant " + common.get("tenant") + ")" : "");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("text", headline);
        ArrayNode blocks = body.putArray("blocks");
        section(blocks, "*" + escape(headline) + "*\n_" + notification.reason().label() + "_");
        int shown = 0;
        for (NotifiedAlert alert : notification.alerts()) {
            if (shown++ == MAX_ALERT_SECTIONS) {
                section(blocks, "… and " + (notification.alerts().size() - MAX_ALERT_SECTIONS) + " more");
                break;
            }
            StringBuilder text = new StringBuilder(alert.resolved() ? ":white_check_mark: " : ":rotating_light: ")
                    .append(escape(alert.annotations().getOrDefault("summary", alert.fingerprint())));
            String evidence = alert.annotations().getOrDefault("evidence", "");
            if (!evidence.isEmpty()) {
                text.append("\n`").append(escape(evidence)).append('`');
            }
            String run = alert.labels().getOrDefault("run_id", "");
            if (!alert.generatorUrl().isEmpty()) {
                text.append("\n<").append(alert.generatorUrl()).append('|').append(run.isEmpty() ? "open in Grafana" : "run " + run)
                        .append('>');
            } else if (!run.isEmpty()) {
                text.append("\nrun ").append(run);
            }
            section(blocks, text.toString());
        }
        return body;
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        ObjectNode section = blocks.addObject();
        section.put("type", "section");
        section.putObject("text").put("type", "mrkdwn").put("text", mrkdwn);
    }

    /** Slack's three control characters; everything else is literal. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
