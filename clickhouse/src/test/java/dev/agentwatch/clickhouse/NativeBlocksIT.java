package dev.agentwatch.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import dev.agentwatch.model.AgentMetrics;
import dev.agentwatch.model.Evaluation;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.PipelineMetric;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunStatus;
import dev.agentwatch.model.Severity;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepMetrics;
import dev.agentwatch.model.StepStatus;
import dev.agentwatch.model.TokenUsage;
import dev.agentwatch.model.ToolCallRequest;
import dev.agentwatch.testkit.TestServices;
import dev.agentwatch.testkit.TestSteps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The writers' Native blocks store exactly what RowBinary stores: every encoder's rows, written
 * both ways into two databases, read back the same, column by column. The values cover what
 * differs between the formats: arrays and maps (empty, one entry, several), strings longer than
 * a one-byte length, text in several scripts, and types ClickHouse converts on insert.
 */
@Timeout(180)
class NativeBlocksIT {
    private static final String LONG_TEXT = "policy service timed out\n\n" + "x".repeat(300) + " – ünïcode 🙂";
    private static ClickHouseConfig nativeDb;
    private static ClickHouseConfig rowBinaryDb;

    @BeforeAll
    static void migrateTwoDatabases() {
        nativeDb = ClickHouseConfig.of(TestServices.clickHouseUrl(), TestServices.uniqueDatabase("native"));
        rowBinaryDb = ClickHouseConfig.of(TestServices.clickHouseUrl(), TestServices.uniqueDatabase("rowbinary"));
        SchemaMigrator.of(nativeDb).migrate();
        SchemaMigrator.of(rowBinaryDb).migrate();
    }

    @Test
    void stepsReadTheSameAsFromRowBinary() {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            steps.add(i % 3 == 2 ? TestSteps.failedTool("acme", "run-" + i / 10, i) : TestSteps.llm("acme", "run-" + i / 10, i));
        }
        long start = 1_795_923_246_000_000_000L;
        steps.add(new Step("acme", "claims-service", "claims-agent", "1.4.2", "run-wide", "00000000000000ff", "",
                StepKind.LLM, "chat ünïcode – “quotes” 🙂", LONG_TEXT, "chat", "anthropic", "claude-sonnet-4", start,
                start + 1, StepStatus.ERROR, "length", LONG_TEXT, new TokenUsage(Long.MAX_VALUE / 4, 0, 1, 2, 3), 1e-9,
                "length", "", "", "", false,
                List.of(new ToolCallRequest("call_a", "lookup_policy", "h1"), new ToolCallRequest("call_b", "", "h2")),
                "", "", "", List.of(new Evaluation("correctness", 0.25, "fail"), new Evaluation("tone", Double.NaN, "")),
                0, 7, ""));
        assertSameRows(new StepRowEncoder(), steps);
    }

    @Test
    void runsReadTheSameAsFromRowBinary() {
        List<Run> runs = List.of(
                new Run("acme", "0af7651916cd43dd8448eb211c80319c", "claims-service", "claims-agent", "1.4.2",
                        List.of("gpt-4o-mini", "claude-sonnet-4"), "00f067aa0ba902b7", "invoke_agent claims-agent",
                        1_795_923_246_000_000_000L, 1_795_923_249_000_000_000L, RunStatus.OK, 7, 3, 3, 1, 1, 0, 2100, 180,
                        0.00042, List.of("claims-agent", "chat gpt-4o-mini", "lookup_policy", LONG_TEXT), "CLAIM-1",
                        "approved", "conv-1", 0.25, "fail", 2, 3, 1_795_923_250_000L),
                new Run("acme", "1af7651916cd43dd8448eb211c80319c", "", "", "", List.of(), "", "", 1, 2,
                        RunStatus.UNFINISHED, 1, 0, 0, 0, 0, 0, 0, 0, 0, List.of("x"), "", "", "", Double.NaN, "", 0, 0, 2));
        assertSameRows(new RunRowEncoder(), runs);
    }

    @Test
    void findingsReadTheSameAsFromRowBinary() {
        List<Finding> findings = List.of(
                new Finding("f-1", "loop", Severity.ERROR, "acme", "claims-agent", "1.4.2", "run-1", "0000000000000002",
                        "", "the same tool call 3 times", 1_795_923_246_000_000_000L, 1_795_923_300_000L,
                        Map.of("repeats", "3", "tool", "lookup_policy", "text", LONG_TEXT), Map.of("team", "claims")),
                new Finding("f-2", "unfinished_run", Severity.WARNING, "acme", "", "", "run-2", "", "", "never finished",
                        1_795_923_246_000_000_000L, 1_795_923_300_000L, Map.of(), Map.of()));
        assertSameRows(new FindingRowEncoder(), findings);
    }

    @Test
    void metricsReadTheSameAsFromRowBinary() {
        long minute = 1_795_923_240_000L;
        assertSameRows(new StepMetricsRowEncoder(), List.of(
                new StepMetrics(minute, "acme", "claims-agent", "1.4.2", StepKind.TOOL, "lookup_policy", "", 12, 2, 1.5,
                        9.0, 12.0, 40.5, List.of(1.0, 10.0, 100.0), List.of(3L, 8L, 1L), 0, 0, 0),
                new StepMetrics(minute, "acme", "claims-agent", "1.4.2", StepKind.LLM, "chat", "gpt-4o-mini", 1, 0, 250,
                        250, 250, 250, List.of(), List.of(), 100, 20, 0.0001)));
        assertSameRows(new AgentMetricsRowEncoder(), List.of(
                new AgentMetrics(minute, "acme", "claims-agent", "1.4.2", 5, 3, 1, 1, 2, 1, List.of(2L, 4L, 12L),
                        List.of(2L, 2L, 1L), List.of(1L, 3L), List.of(4L, 1L), 900, 4100, 500, 90, 0.002),
                new AgentMetrics(minute, "acme", "other-agent", "", 0, 0, 0, 0, 0, 0, List.of(), List.of(), List.of(),
                        List.of(), 0, 0, 0, 0, 0)));
        assertSameRows(new PipelineMetricRowEncoder(), List.of(
                new PipelineMetric(minute, "detectors", "detectors-1", "agentwatch.detectors.sink.rows", "steps", 12345),
                new PipelineMetric(minute, "collector", "collector-1", "agentwatch.collector.spans.rejected", "", 0.5)));
    }

    private static <T> void assertSameRows(RowEncoder<T> encoder, List<T> records) {
        try (Client nativeClient = ClickHouseClients.create(nativeDb);
             Client rowBinaryClient = ClickHouseClients.create(rowBinaryDb)) {
            assertThat(new ClickHouseBatchWriter<>(nativeClient, encoder).write(records)).isEqualTo(records.size());
            assertThat(ClickHouseBatchWriter.rowBinary(rowBinaryClient, encoder).write(records)).isEqualTo(records.size());
            List<String> fromNative = rows(nativeClient, encoder);
            assertThat(fromNative).hasSize(records.size());
            assertThat(fromNative).containsExactlyElementsOf(rows(rowBinaryClient, encoder));
        }
    }

    /** The encoder's columns of every row, as text, in a stable order. */
    private static List<String> rows(Client client, RowEncoder<?> encoder) {
        return client.queryAll("SELECT formatRow('TabSeparated', " + String.join(", ", encoder.columns()) + ") AS line FROM "
                + encoder.table() + " ORDER BY line").stream().map(row -> row.getString("line")).toList();
    }
}
