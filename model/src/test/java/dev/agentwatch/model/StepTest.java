package dev.agentwatch.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepTest {

    private static Step step(String name, List<ToolCallRequest> calls, List<Evaluation> evaluations) {
        return new Step("acme", "claims-service", "claims-agent", "1.4.2", "0af7651916cd43dd8448eb211c80319c",
                "b7ad6b7169203331", "00f067aa0ba902b7", StepKind.TOOL, name, name, "execute_tool", "", "", 1_000, 2_000,
                StepStatus.OK, "", "", TokenUsage.NONE, 0, "", name, "", "", false, calls, "", "", "", evaluations, 0, 0,
                "");
    }

    @Test
    void keepsNamesOfUsualLengthAsTheyAre() {
        Step step = step("check_coverage", List.of(), List.of());

        assertThat(step.name()).isEqualTo("check_coverage");
        assertThat(step.toolName()).isEqualTo("check_coverage");
    }

    @Test
    void cutsANameThatIsADocument() {
        Step step = step("x".repeat(700_000), List.of(new ToolCallRequest("c".repeat(1000), "t".repeat(1000), "h")),
                List.of(new Evaluation("e".repeat(1000), 0.5, "pass")));

        assertThat(step.name()).hasSize(Step.MAX_TEXT_CHARS);
        assertThat(step.spanName()).hasSize(Step.MAX_TEXT_CHARS);
        assertThat(step.toolName()).hasSize(Step.MAX_TEXT_CHARS);
        assertThat(step.requestedToolCalls().getFirst().toolName()).hasSize(Step.MAX_TEXT_CHARS);
        assertThat(step.requestedToolCalls().getFirst().callId()).hasSize(Step.MAX_TEXT_CHARS);
        assertThat(step.evaluations().getFirst().name()).hasSize(Step.MAX_TEXT_CHARS);
    }

    @Test
    void neverCutsASurrogatePairInTwo() {
        String name = "a".repeat(Step.MAX_TEXT_CHARS - 1) + "😀" + "b";

        assertThat(Step.capped(name)).isEqualTo("a".repeat(Step.MAX_TEXT_CHARS - 1));
    }

    @Test
    void keepsTheFirstRequestedToolCallsAndEvaluationsOfALongList() {
        List<ToolCallRequest> calls = new ArrayList<>();
        List<Evaluation> evaluations = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            calls.add(new ToolCallRequest("call_" + i, "tool", "h"));
            evaluations.add(new Evaluation("eval_" + i, 1, "pass"));
        }

        Step step = step("plan", calls, evaluations);

        assertThat(step.requestedToolCalls()).hasSize(Step.MAX_LIST_ENTRIES).first()
                .extracting(ToolCallRequest::callId).isEqualTo("call_0");
        assertThat(step.evaluations()).hasSize(Step.MAX_LIST_ENTRIES);
    }
}
