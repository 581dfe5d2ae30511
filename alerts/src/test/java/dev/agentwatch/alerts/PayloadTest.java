package dev.agentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Receiver payloads, field by field. */
class PayloadTest {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final long STARTS = java.time.Instant.parse("2026-11-29T10:00:00Z").toEpochMilli();
    private static final NotifiedAlert FIRING = new NotifiedAlert("fp-1", false,
            Map.of("alertname", "tool_loop", "severity", "critical", "tenant", "acme", "agent", "claims-agent", "run_id", "run-1"),
            Map.of("summary", "agent called search 14 times", "evidence", "calls=14, budget=10",
                    "links", "http://grafana/d/x?var-run_id=run-1"),
            STARTS, 0, "http://grafana/d/x?var-run_id=run-1");
    private static final NotifiedAlert RESOLVED = new NotifiedAlert("fp-2", true,
            Map.of("alertname", "tool_loop", "severity", "warning", "tenant", "acme", "agent", "claims-agent", "run_id", "run-2"),
            Map.of("summary", "agent called search 11 times", "evidence", "calls=11, budget=10"),
            STARTS, STARTS + 60_000, "");
    private static final Notification MIXED = new Notification("abc-1-2", "team.hook", "{}:{alertname=\"tool_loop\"}",
            NotificationReason.SOME_ALERTS_RESOLVED, Map.of("alertname", "tool_loop"), List.of(FIRING, RESOLVED), STARTS + 120_000);

    @Test
    void webhookBodyIsAnAlertmanagerVersion4Message() throws Exception {
        JsonNode body = JSON.readTree(OutgoingRequest.bytes(WebhookPayload.of(MIXED, "team.hook", "http://127.0.0.1:9094", 0)));

        assertThat(body.get("version").asText()).isEqualTo("4");
        assertThat(body.get("groupKey").asText()).isEqualTo("{}:{alertname=\"tool_loop\"}");
        assertThat(body.get("truncatedAlerts").asInt()).isZero();
        assertThat(body.get("status").asText()).isEqualTo("firing");
        assertThat(body.get("receiver").asText()).as("QuoteMeta'd like Alertmanager").isEqualTo("team\\.hook");
        assertThat(body.get("groupLabels")).isEqualTo(JSON.readTree("{\"alertname\":\"tool_loop\"}"));
        assertThat(body.get("commonLabels")).isEqualTo(JSON.readTree(
                "{\"agent\":\"claims-agent\",\"alertname\":\"tool_loop\",\"tenant\":\"acme\"}"));
        assertThat(body.get("commonAnnotations").size()).isZero();
        assertThat(body.get("externalURL").asText()).isEqualTo("http://127.0.0.1:9094");
        assertThat(body.get("notification_reason").asText()).isEqualTo("some alerts resolved");
        assertThat(body.get("alerts")).hasSize(2);

        JsonNode firing = body.get("alerts").get(0);
        assertThat(firing.get("status").asText()).isEqualTo("firing");
        assertThat(firing.get("labels").get("run_id").asText()).isEqualTo("run-1");
        assertThat(firing.get("annotations").get("summary").asText()).isEqualTo("agent called search 14 times");
        assertThat(firing.get("startsAt").asText()).isEqualTo("2026-11-29T10:00:00Z");
        assertThat(firing.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(firing.get("generatorURL").asText()).isEqualTo("http://grafana/d/x?var-run_id=run-1");
        assertThat(firing.get("fingerprint").asText()).isEqualTo("fp-1");
        JsonNode resolved = body.get("alerts").get(1);
        assertThat(resolved.get("status").asText()).isEqualTo("resolved");
        assertThat(resolved.get("endsAt").asText()).isEqualTo("2026-11-29T10:01:00Z");
        assertThat(fieldNames(body)).containsExactly("version", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels",
                "commonLabels", "commonAnnotations", "externalURL", "notification_reason", "alerts");
        assertThat(fieldNames(firing)).containsExactly("status", "labels", "annotations", "startsAt", "endsAt", "generatorURL",
                "fingerprint");
    }

    @Test
    void webhookBodyCountsAlertsCutByMaxAlerts() {
        JsonNode body = WebhookPayload.of(MIXED, "hook", "", 1);
        assertThat(body.get("alerts")).hasSize(1);
        assertThat(body.get("truncatedAlerts").asInt()).isEqualTo(1);
    }

    @Test
    void pagerDutyTriggerCarriesSummarySeverityDedupKeyAndLinks() {
        Receiver.PagerDuty receiver = new Receiver.PagerDuty("pd", URI.create("http://127.0.0.1:1/v2/enqueue"),
                "0123456789abcdef0123456789abcdef", "agentwatch", true, Duration.ofSeconds(5), 0);
        JsonNode body = PagerDutyPayload.of(MIXED, receiver, "http://127.0.0.1:9094");

        assertThat(body.get("routing_key").asText()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(body.get("event_action").asText()).isEqualTo("trigger");
        assertThat(body.get("dedup_key").asText()).hasSize(64).isEqualTo(PagerDutyPayload.dedupKey(MIXED.groupKey()));
        JsonNode payload = body.get("payload");
        assertThat(payload.get("summary").asText())
                .isEqualTo("[FIRING:1] tool_loop agent=claims-agent tenant=acme: agent called search 14 times");
        assertThat(payload.get("source").asText()).isEqualTo("agentwatch");
        assertThat(payload.get("severity").asText()).as("highest firing severity").isEqualTo("critical");
        assertThat(payload.get("timestamp").asText()).isEqualTo("2026-11-29T10:02:00Z");
        assertThat(payload.get("component").asText()).isEqualTo("claims-agent");
        assertThat(payload.get("group").asText()).isEqualTo("acme");
        assertThat(payload.get("class").asText()).isEqualTo("tool_loop");
        assertThat(payload.get("custom_details").get("firing").asInt()).isEqualTo(1);
        assertThat(payload.get("custom_details").get("alerts").get(0).get("run_id").asText()).isEqualTo("run-1");
        assertThat(body.get("client").asText()).isEqualTo("agentwatch");
        assertThat(body.get("client_url").asText()).isEqualTo("http://127.0.0.1:9094");
        assertThat(body.get("links").get(0).get("href").asText()).isEqualTo("http://grafana/d/x?var-run_id=run-1");
    }

    @Test
    void pagerDutyResolveNamesOnlyTheDedupKey() {
        Notification allResolved = new Notification("abc-1-3", "pd", MIXED.groupKey(), NotificationReason.ALL_ALERTS_RESOLVED,
                MIXED.groupLabels(), List.of(RESOLVED), STARTS + 180_000);
        Receiver.PagerDuty receiver = new Receiver.PagerDuty("pd", URI.create("http://127.0.0.1:1/v2/enqueue"), "key", "agentwatch",
                true, Duration.ofSeconds(5), 0);
        JsonNode body = PagerDutyPayload.of(allResolved, receiver, "");

        assertThat(fieldNames(body)).containsExactly("routing_key", "event_action", "dedup_key");
        assertThat(body.get("event_action").asText()).isEqualTo("resolve");
        assertThat(body.get("dedup_key").asText()).isEqualTo(PagerDutyPayload.dedupKey(MIXED.groupKey()));
    }

    @Test
    void pagerDutySummaryIsCutAt1024CodePoints() {
        String cut = PagerDutyPayload.truncate("é".repeat(2000), PagerDutyPayload.MAX_SUMMARY);
        assertThat(cut.codePointCount(0, cut.length())).isEqualTo(1024);
        assertThat(cut).endsWith("…");
    }

    @Test
    void slackMessageHasFallbackTextAndASectionPerAlertWithItsLink() {
        JsonNode body = SlackPayload.of(MIXED);

        assertThat(body.get("text").asText()).isEqualTo("[FIRING:1] tool_loop agent claims-agent (tenant acme)");
        JsonNode blocks = body.get("blocks");
        assertThat(blocks).hasSize(3);
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("section");
        assertThat(blocks.get(0).get("text").get("type").asText()).isEqualTo("mrkdwn");
        assertThat(blocks.get(0).get("text").get("text").asText()).contains("some alerts resolved");
        assertThat(blocks.get(1).get("text").get("text").asText())
                .startsWith(":rotating_light: agent called search 14 times")
                .contains("`calls=14, budget=10`")
                .contains("<http://grafana/d/x?var-run_id=run-1|run run-1>");
        assertThat(blocks.get(2).get("text").get("text").asText()).startsWith(":white_check_mark:").contains("run run-2");
    }

    @Test
    void slackEscapesItsControlCharacters() {
        assertThat(SlackPayload.escape("a < b && c > d")).isEqualTo("a &lt; b &amp;&amp; c &gt; d");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
