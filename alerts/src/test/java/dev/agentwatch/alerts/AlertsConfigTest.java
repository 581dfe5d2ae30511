package dev.agentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertsConfigTest {
    static final Path EXAMPLE = Path.of("examples/alerts.yaml");

    @Test
    void loadsTheShippedExample() {
        AlertsConfig config = AlertsConfig.load(EXAMPLE);

        assertThat(config.receivers()).containsOnlyKeys("team-webhook", "on-call-pager", "acme-slack");
        assertThat(config.receivers().get("team-webhook")).isInstanceOf(Receiver.Webhook.class);
        assertThat(((Receiver.Webhook) config.receivers().get("team-webhook")).maxAlerts()).isEqualTo(50);
        assertThat(config.receivers().get("on-call-pager").maxPerMinute()).isEqualTo(60);
        assertThat(config.receivers().get("acme-slack").sendResolved()).isFalse();
        assertThat(config.resolveTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.maxFindingAge()).isEqualTo(Duration.ofHours(1));
        assertThat(config.route().routes()).hasSize(2);
        assertThat(config.route().routes().getFirst().key()).isEqualTo("{}/{severity=~\"critical|error\"}");
    }

    @Test
    void childRoutesInheritGroupingAndTimingUnlessTheySetTheirOwn() {
        AlertsConfig config = AlertsConfig.load(EXAMPLE);
        Route pager = config.route().routes().get(0);
        Route slack = config.route().routes().get(1);

        assertThat(pager.groupBy()).containsExactly("tenant", "alertname", "agent");
        assertThat(pager.timing().groupWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(pager.timing().groupInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(slack.groupBy()).containsExactly("alertname");
        assertThat(slack.timing().groupWait()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void routesByMatchersWithContinueAndFallsBackToTheRoot() {
        Route root = AlertsConfig.load(EXAMPLE).route();

        assertThat(receivers(root, Map.of("alertname", "tool_loop", "severity", "critical", "tenant", "acme")))
                .containsExactly("on-call-pager", "acme-slack");
        assertThat(receivers(root, Map.of("alertname", "cost_spike", "severity", "critical", "tenant", "acme")))
                .containsExactly("on-call-pager");
        assertThat(receivers(root, Map.of("alertname", "tool_loop", "severity", "warning", "tenant", "acme")))
                .containsExactly("acme-slack");
        assertThat(receivers(root, Map.of("alertname", "tool_loop", "severity", "warning", "tenant", "globex")))
                .containsExactly("team-webhook");
    }

    @Test
    void aMatchingChildWithoutContinueStopsItsSiblings() {
        AlertsConfig config = AlertsConfig.parse("""
                route:
                  receiver: a
                  routes:
                    - matchers: ['severity="critical"']
                      receiver: b
                    - matchers: ['tenant="acme"']
                      receiver: c
                receivers:
                  - {name: a, slack: {url: "http://127.0.0.1:1/a"}}
                  - {name: b, slack: {url: "http://127.0.0.1:1/b"}}
                  - {name: c, slack: {url: "http://127.0.0.1:1/c"}}
                """);

        assertThat(receivers(config.route(), Map.of("severity", "critical", "tenant", "acme"))).containsExactly("b");
        assertThat(receivers(config.route(), Map.of("severity", "info", "tenant", "acme"))).containsExactly("c");
    }

    @Test
    void reportsEveryProblemAtOnceSayingWhatToFix() {
        assertThatThrownBy(() -> AlertsConfig.parse("""
                global:
                  resolve_timeout: 5minutes
                route:
                  receiver: nobody
                  group_wait: soon
                  routes:
                    - matchers: ['alertname=~"(broken"']
                      receiver: hook
                receivers:
                  - name: hook
                    webhook: {url: "", secret: short}
                  - name: pager
                    pagerduty: {url: "ftp://example.invalid/x"}
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("global.resolve_timeout: bad duration '5minutes'")
                .hasMessageContaining("route: unknown receiver 'nobody'")
                .hasMessageContaining("route.group_wait: bad duration 'soon'")
                .hasMessageContaining("route.routes[0].matchers[0]: bad regex")
                .hasMessageContaining("receivers[0] 'hook'.webhook.url is required")
                .hasMessageContaining("receivers[0] 'hook'.webhook.secret: a signing secret of at least 16 characters")
                .hasMessageContaining("receivers[1] 'pager'.pagerduty.url: 'ftp://example.invalid/***' is not an absolute http(s) URL")
                .hasMessageContaining("receivers[1] 'pager'.pagerduty.routing_key is required");
    }

    /** Each receiver's delivery consumer group is named after it: two names that map to one would split its work. */
    @Test
    void refusesReceiverNamesThatDifferOnlyInCharactersGroupIdsCannotHold() {
        assertThatThrownBy(() -> AlertsConfig.parse("""
                route:
                  receiver: ops pager
                receivers:
                  - name: ops pager
                    webhook: {url: "http://127.0.0.1:1/a", secret: "0123456789abcdef-secret"}
                  - name: ops_pager
                    webhook: {url: "http://127.0.0.1:1/b", secret: "0123456789abcdef-secret"}
                """))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("receiver name 'ops_pager' is too close to 'ops pager'");
    }

    @Test
    void refusesUnknownFieldsWithTheirPlace() {
        assertThatThrownBy(() -> AlertsConfig.parse("""
                route:
                  reciever: hook
                receivers: []
                """))
                .hasMessageContaining("unknown field 'route.reciever'")
                .hasMessageContaining("receiver");
    }

    @Test
    void refusesValuesOfTheWrongShapeSayingWhere() {
        assertThatThrownBy(() -> AlertsConfig.parse("""
                route:
                  receiver: hook
                  routes:
                    - group_by: {tenant: agent}
                receivers: []
                """))
                .hasMessageContaining("bad value for 'route.routes[0].group_by'");
    }

    @Test
    void refusesAConfigWithoutRootRouteOrReceivers() {
        assertThatThrownBy(() -> AlertsConfig.parse("global: {}\n"))
                .hasMessageContaining("route: the root route is required")
                .hasMessageContaining("receivers: at least one receiver is required");
    }

    @Test
    void keepsSecretsOutOfReceiverDescriptions() {
        AlertsConfig config = AlertsConfig.load(EXAMPLE);
        assertThat(config.receivers().values().toString())
                .doesNotContain("change-me-to-a-long-random-secret", "0123456789abcdef0123456789abcdef", "XXXXXXXX");
    }

    private static List<String> receivers(Route root, Map<String, String> labels) {
        return root.match(labels).stream().map(Route::receiver).toList();
    }
}
