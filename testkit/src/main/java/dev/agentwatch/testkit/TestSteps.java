package dev.agentwatch.testkit;

import dev.agentwatch.model.Evaluation;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepStatus;
import dev.agentwatch.model.TokenUsage;
import dev.agentwatch.model.ToolCallRequest;
import java.util.List;

/** Steps for tests, with every field set to something checkable. */
public final class TestSteps {
    private TestSteps() {
    }

    /** An LLM step of run {@code runId}; {@code index} varies ids, times and token counts. */
    public static Step llm(String tenant, String runId, int index) {
        return llm(tenant, runId, index, 1_795_923_246_000_000_000L + index * 1_000_000_000L);
    }

    /** The same, starting at {@code start} (epoch nanoseconds). */
    public static Step llm(String tenant, String runId, int index, long start) {
        return new Step(tenant, "claims-service", "claims-agent", "1.4.2", runId, String.format("%016x", index + 1L),
                index == 0 ? "" : String.format("%016x", 1L), StepKind.LLM, "chat gpt-4o-mini", "chat gpt-4o-mini",
                "chat", "openai", "gpt-4o-mini", start, start + 250_000_000L, StepStatus.OK, "", "",
                new TokenUsage(100 + index, 20 + index, 10, 0, 0), 0.000123, "stop", "", "", "", false,
                List.of(new ToolCallRequest("call_" + index, "lookup_policy", "abcd")), "conv-1", "CLAIM-" + index,
                "approved", List.of(new Evaluation("correctness", 0.9, "pass")), 1234, 56, "0123456789abcdef");
    }

    /** A failed tool step whose error message contains blank lines (two newlines in a row). */
    public static Step failedTool(String tenant, String runId, int index) {
        long start = 1_795_923_246_000_000_000L + index * 1_000_000_000L;
        return new Step(tenant, "claims-service", "claims-agent", "1.4.2", runId, String.format("%016x", index + 1L),
                String.format("%016x", 1L), StepKind.TOOL, "lookup_policy", "execute_tool lookup_policy", "execute_tool",
                "", "", start, start + 1_500_000L, StepStatus.ERROR, "TimeoutError",
                "policy service timed out\n\nretry budget exhausted", TokenUsage.NONE, 0, "", "lookup_policy",
                "call_" + index, "feedbeef", true, List.of(), "conv-1", "CLAIM-" + index, "", List.of(), 12, 0, "");
    }
}
