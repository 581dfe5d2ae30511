package dev.agentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoPortsTest {
    private static final Settings DEFAULTS = Settings.load(null, Map.of());

    @Test
    void freeDefaultPortsAreKept() {
        DemoPorts.Decision decision = DemoPorts.choose(DEFAULTS, DEFAULTS, (host, port) -> true, (host, taken) -> 1);

        assertThat(decision.overrides()).isEmpty();
        assertThat(decision.notes()).isEmpty();
    }

    @Test
    void aTakenDefaultPortIsReplacedAndTheChangeSaid() {
        DemoPorts.Decision decision = DemoPorts.choose(DEFAULTS, DEFAULTS,
                (host, port) -> port != 8123 && port != 4318, (host, taken) -> 40_000 + taken.size());

        assertThat(decision.overrides()).containsOnlyKeys("clickhouse.embedded.port", "collector.http.port");
        assertThat(decision.overrides().get("clickhouse.embedded.port"))
                .isNotEqualTo(decision.overrides().get("collector.http.port"));
        assertThat(decision.notes()).anySatisfy(note -> assertThat(note)
                .contains("port 8123 (clickhouse.embedded.port) is in use").contains("AGENTWATCH_CLICKHOUSE_EMBEDDED_PORT"));
    }

    @Test
    void aTakenPortTheUserChoseIsAnErrorNamingTheSetting() {
        Settings user = Settings.load(null, Map.of("AGENTWATCH_COLLECTOR_HTTP_PORT", "5318"));

        assertThatThrownBy(() -> DemoPorts.choose(user, DEFAULTS, (host, port) -> port != 5318, (host, taken) -> 1))
                .hasMessageContaining("port 5318")
                .hasMessageContaining("collector.http.port")
                .hasMessageContaining("AGENTWATCH_COLLECTOR_HTTP_PORT");
    }

    @Test
    void portsOfExternalServicesAndDisabledListenersAreNotChecked() {
        Settings user = Settings.load(null, Map.of("AGENTWATCH_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "AGENTWATCH_CLICKHOUSE_URL", "http://clickhouse:8123", "AGENTWATCH_COLLECTOR_GRPC_PORT", "-1",
                "AGENTWATCH_DETECTORS_HTTP_PORT", "-1"));
        Set<Integer> asked = new java.util.HashSet<>();

        DemoPorts.choose(user, DEFAULTS, (host, port) -> asked.add(port), (host, taken) -> 1);

        assertThat(asked).containsExactly(4318);
    }
}
