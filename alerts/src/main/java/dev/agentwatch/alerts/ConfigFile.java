package dev.agentwatch.alerts;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The routing config file as written, before validation; every field may be absent. */
record ConfigFile(Global global, RouteSpec route, List<ReceiverSpec> receivers, Delivery delivery) {

    record Global(@JsonProperty("resolve_timeout") String resolveTimeout,
                  @JsonProperty("max_finding_age") String maxFindingAge,
                  @JsonProperty("external_url") String externalUrl,
                  @JsonProperty("run_url_template") String runUrlTemplate,
                  @JsonProperty("agent_url_template") String agentUrlTemplate) {
    }

    record RouteSpec(String receiver, List<String> matchers,
                     @JsonProperty("group_by") List<String> groupBy,
                     @JsonProperty("group_wait") String groupWait,
                     @JsonProperty("group_interval") String groupInterval,
                     @JsonProperty("repeat_interval") String repeatInterval,
                     @JsonProperty("continue") Boolean continueMatching,
                     List<RouteSpec> routes) {
    }

    record ReceiverSpec(String name, WebhookSpec webhook, PagerDutySpec pagerduty, SlackSpec slack,
                        @JsonProperty("max_per_minute") Integer maxPerMinute) {
    }

    record WebhookSpec(String url, String secret, @JsonProperty("send_resolved") Boolean sendResolved, String timeout,
                       @JsonProperty("max_alerts") Integer maxAlerts) {
    }

    record PagerDutySpec(String url, @JsonProperty("routing_key") String routingKey, String source,
                         @JsonProperty("send_resolved") Boolean sendResolved, String timeout) {
    }

    record SlackSpec(String url, @JsonProperty("send_resolved") Boolean sendResolved, String timeout) {
    }

    record Delivery(@JsonProperty("max_attempts") Integer maxAttempts,
                    @JsonProperty("initial_backoff") String initialBackoff,
                    @JsonProperty("max_backoff") String maxBackoff) {
    }
}
