package dev.agentwatch.detectors.detect;

import static dev.agentwatch.detectors.TestRuns.llm;
import static dev.agentwatch.detectors.TestRuns.root;
import static dev.agentwatch.detectors.TestRuns.tool;
import static dev.agentwatch.detectors.TestRuns.trace;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MissingToolStepDetectorTest {
    private final MissingToolStepDetector detector = new MissingToolStepDetector();

    @Test
    void flagsARequestedToolCallThatNeverRan() {
        assertThat(detector.inspect(trace(root(),
                llm("0000000000000001", 0).requests("call_1", "refund", "h").requests("call_2", "notify", "h2"),
                tool("0000000000000002", "notify", "h2", 600).callId("call_2"))))
                .singleElement().satisfies(f -> {
                    assertThat(f.detector()).isEqualTo("missing_tool_step");
                    assertThat(f.stepId()).isEqualTo("0000000000000001");
                    assertThat(f.evidence()).containsEntry("tool", "refund").containsEntry("call_id", "call_1");
                });
    }

    @Test
    void matchesByCallIdOrElseByToolName() {
        assertThat(detector.inspect(trace(root(),
                llm("0000000000000001", 0).requests("call_1", "get_weather", "h"),
                tool("0000000000000002", "get_weather", "paris", 600),
                llm("0000000000000003", 1000).requests("call_9", "lookup", "h"),
                tool("0000000000000004", "lookup", "x", 1600).callId("call_9")))).isEmpty();
    }

    @Test
    void oneToolStepAnswersOnlyOneRequest() {
        assertThat(detector.inspect(trace(root(),
                llm("0000000000000001", 0).requests("", "get_weather", "h").requests("", "get_weather", "h2"),
                tool("0000000000000002", "get_weather", "paris", 600)))).hasSize(1);
    }

    @Test
    void unfinishedRunsAreNotJudged() {
        assertThat(detector.inspect(trace(llm("0000000000000001", 0).requests("call_1", "refund", "h")))).isEmpty();
    }
}
