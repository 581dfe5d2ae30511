package dev.agentwatch.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentwatch.model.Finding;
import java.time.Clock;
import java.util.List;

/**
 * Shows what the notifier would do with one finding: the alert's labels, the routes and receivers
 * that take it, the group each lands in, and the exact payload of a first notification, with
 * secrets masked. Pure apart from the clock.
 */
public final class DryRun {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private DryRun() {
    }

    public static String describe(AlertsConfig config, Finding finding, Clock clock) {
        long now = clock.millis();
        Alert alert = new AlertFactory(config.links()).alertOf(finding, now);
        StringBuilder out = new StringBuilder();
        out.append("alert labels: ").append(RoutedAlert.labelSetText(alert.labels())).append('\n');
        if (finding.detectedEpochMillis() > 0 && finding.detectedEpochMillis() < now - config.maxFindingAge().toMillis()) {
            out.append("note: detected more than ").append(DurationText.format(config.maxFindingAge()))
                    .append(" ago; the notifier would skip it as stale (global.max_finding_age). As if it were new:\n");
        }
        if (finding.announcesResolution()) {
            out.append("this finding announces that its condition cleared (evidence state=resolved)\n");
        }
        List<Route> routes = config.route().match(alert.labels());
        out.append("routes: ").append(routes.size()).append('\n');
        for (Route route : routes) {
            RoutedAlert routed = RoutedAlert.of(route, alert);
            Receiver receiver = config.receivers().get(route.receiver());
            out.append("\n→ receiver '").append(receiver.name()).append("' (").append(receiver.kind()).append(", ")
                    .append(Receiver.redactedUrl(receiver.url())).append(")\n");
            out.append("  route      ").append(route.key()).append('\n');
            out.append("  group key  ").append(routed.groupKey()).append('\n');
            out.append("  timing     group_wait ").append(DurationText.format(route.timing().groupWait()))
                    .append(", group_interval ").append(DurationText.format(route.timing().groupInterval()))
                    .append(", repeat_interval ").append(DurationText.format(route.timing().repeatInterval())).append('\n');
            GroupPolicy policy = config.policyOf(route.key(), receiver.name()).orElseThrow();
            AlertGroup group = AlertGroup.open(routed, now, policy);
            long due = group.nextFlushEpochMillis();
            AlertGroup.Flush flush = group.flush(due, policy, labels -> false);
            if (flush.notification().isEmpty()) {
                out.append("  nothing would be sent (the alert is not firing)\n");
                continue;
            }
            ObjectNode payload = OutgoingRequest.document(receiver, flush.notification().get(), config.externalUrl());
            if (payload.has("routing_key")) {
                payload.put("routing_key", "***");
            }
            out.append("  payload (first notification, ").append(DurationText.format(route.timing().groupWait()))
                    .append(" after the group opens)").append(receiver instanceof Receiver.Webhook
                            ? ", signed with header " + WebhookSignature.HEADER : "").append(":\n");
            try {
                out.append(JSON.writeValueAsString(payload).indent(4));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a JSON tree always serializes", e);
            }
        }
        return out.toString();
    }
}
