package dev.agentwatch.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP POST to a receiver, before signing.
 *
 * @param url            where
 * @param body           JSON bytes
 * @param headers        extra headers (Content-Type is always application/json)
 * @param signingSecret  HMAC secret for {@link WebhookSignature}, empty = unsigned
 */
record OutgoingRequest(URI url, byte[] body, Map<String, String> headers, String signingSecret) {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    static final String NOTIFICATION_ID_HEADER = "X-Agentwatch-Notification-Id";

    OutgoingRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(signingSecret, "signingSecret");
        headers = Map.copyOf(headers);
    }

    /** The request {@code receiver} gets for {@code notification}. */
    static OutgoingRequest of(Receiver receiver, Notification notification, String externalUrl) {
        Map<String, String> headers = Map.of(NOTIFICATION_ID_HEADER, notification.id());
        return switch (receiver) {
            case Receiver.Webhook webhook -> new OutgoingRequest(webhook.url(),
                    bytes(WebhookPayload.of(notification, webhook.name(), externalUrl, webhook.maxAlerts())), headers,
                    webhook.secret());
            case Receiver.PagerDuty pagerDuty -> new OutgoingRequest(pagerDuty.url(),
                    bytes(PagerDutyPayload.of(notification, pagerDuty, externalUrl)), headers, "");
            case Receiver.Slack slack -> new OutgoingRequest(slack.url(), bytes(SlackPayload.of(notification)), Map.of(), "");
        };
    }

    /** The payload document alone, for dry runs. */
    static ObjectNode document(Receiver receiver, Notification notification, String externalUrl) {
        return switch (receiver) {
            case Receiver.Webhook webhook -> WebhookPayload.of(notification, webhook.name(), externalUrl, webhook.maxAlerts());
            case Receiver.PagerDuty pagerDuty -> PagerDutyPayload.of(notification, pagerDuty, externalUrl);
            case Receiver.Slack slack -> SlackPayload.of(notification);
        };
    }

    static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
