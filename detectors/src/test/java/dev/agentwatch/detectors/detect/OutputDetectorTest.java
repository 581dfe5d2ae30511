package dev.agentwatch.detectors.detect;

import static dev.agentwatch.detectors.TestRuns.llm;
import static dev.agentwatch.detectors.TestRuns.root;
import static dev.agentwatch.detectors.TestRuns.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.model.Finding;
import org.junit.jupiter.api.Test;

class OutputDetectorTest {
    private final OutputDetector detector = new OutputDetector();

    @Test
    void flagsOutputCutAtTheTokenLimitAndEmptyCompletions() {
        assertThat(detector.inspect(trace(root(),
                llm("0000000000000001", 0).finish("length"),
                llm("0000000000000002", 1000).output(0, "e3b0c44298fc1c14"))))
                .extracting(Finding::detector, Finding::stepId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("truncated_output", "0000000000000001"),
                        org.assertj.core.groups.Tuple.tuple("empty_output", "0000000000000002"));
    }

    @Test
    void uncapturedContentAndToolCallsAreNotEmptyOutput() {
        assertThat(detector.inspect(trace(root(),
                llm("0000000000000001", 0).output(0, ""),
                llm("0000000000000002", 1000).output(0, "e3b0c44298fc1c14").finish("tool_calls")
                        .requests("c", "t", "h")))).isEmpty();
    }
}
