package dev.agentwatch.detectors.detect;

import static dev.agentwatch.detectors.TestRuns.llm;
import static dev.agentwatch.detectors.TestRuns.root;
import static dev.agentwatch.detectors.TestRuns.trace;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnfinishedRunDetectorTest {
    private final UnfinishedRunDetector detector = new UnfinishedRunDetector();

    @Test
    void flagsARunWithoutARoot() {
        assertThat(detector.inspect(trace(llm("0000000000000001", 0), llm("0000000000000002", 1000))))
                .singleElement().satisfies(f -> {
                    assertThat(f.detector()).isEqualTo("unfinished_run");
                    assertThat(f.evidence()).containsEntry("steps", "2");
                });
    }

    @Test
    void aRunWhoseRootArrivedIsFinished() {
        assertThat(detector.inspect(trace(root(), llm("0000000000000001", 0)))).isEmpty();
    }
}
