package dev.agentwatch.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrafanaMacrosTest {
    private final GrafanaMacros macros = new GrafanaMacros(1_700_000_000_123L, 1_700_003_600_456L, 60,
            Map.of("tenant", List.of("acme"), "agent", List.of(GrafanaMacros.ALL), "version", List.of("1.0", "o'2")));

    @Test
    void expandsTimeFiltersToUnixSecondsAndMillis() {
        assertThat(macros.expand("WHERE $__timeFilter(start_time)"))
                .isEqualTo("WHERE start_time >= toDateTime(1700000000) AND start_time <= toDateTime(1700003600)");
        assertThat(macros.expand("WHERE $__timeFilter_ms(t)"))
                .isEqualTo("WHERE t >= fromUnixTimestamp64Milli(1700000000123) AND t <= fromUnixTimestamp64Milli(1700003600456)");
        assertThat(macros.expand("$__fromTime, $__toTime, $__fromTime_ms, $__toTime_ms"))
                .isEqualTo("toDateTime(1700000000), toDateTime(1700003600), fromUnixTimestamp64Milli(1700000000123), "
                        + "fromUnixTimestamp64Milli(1700003600456)");
        assertThat(macros.expand("$__timeFrom(t) AND $__timeTo(t)"))
                .isEqualTo("t >= toDateTime(1700000000) AND t <= toDateTime(1700003600)");
        assertThat(macros.expand("$__dateFilter(d)")).isEqualTo("d >= toDate('2023-11-14') AND d <= toDate('2023-11-14')");
    }

    @Test
    void expandsIntervalsAndGroups() {
        assertThat(macros.expand("SELECT $__timeInterval(start_time) AS t, $__interval_s"))
                .isEqualTo("SELECT toStartOfInterval(toDateTime(start_time), INTERVAL 60 second) AS t, 60");
        assertThat(macros.expand("$__timeInterval_ms(t)"))
                .isEqualTo("toStartOfInterval(toDateTime64(t, 3), INTERVAL 60000 millisecond)");
        assertThat(macros.expand("$__timeGroup(t, '5m')")).isEqualTo("toStartOfInterval(toDateTime(t), INTERVAL 300 second)");
        assertThat(macros.expand("$__timeGroup(toStartOfHour(t), '1h30m')"))
                .isEqualTo("toStartOfInterval(toDateTime(toStartOfHour(t)), INTERVAL 5400 second)");
    }

    @Test
    void substitutesVariablesWithSingleQuoteFormatting() {
        assertThat(macros.expand("tenant = '$tenant' AND agent_version IN (${version:singlequote})"))
                .isEqualTo("tenant = 'acme' AND agent_version IN ('1.0','o\\'2')");
    }

    @Test
    void conditionalAllBecomesTrueForAllAndTheConditionOtherwise() {
        assertThat(macros.expand("WHERE $__conditionalAll(agent_name IN (${agent:singlequote}), $agent)")).isEqualTo("WHERE 1=1");
        assertThat(macros.expand("WHERE $__conditionalAll(tenant IN (${tenant:singlequote}), $tenant)"))
                .isEqualTo("WHERE tenant IN ('acme')");
    }

    @Test
    void leavesUnknownMacrosForClickHouseToReject() {
        assertThat(macros.expand("SELECT $__unknown(x)")).isEqualTo("SELECT $__unknown(x)");
    }

    @Test
    void refusesDurationsThatAreNotGoSyntax() {
        assertThatThrownBy(() -> GrafanaMacros.goDurationSeconds("5 minutes")).hasMessageContaining("Go duration");
        assertThat(GrafanaMacros.goDurationSeconds("1d")).isEqualTo(86_400);
    }
}
