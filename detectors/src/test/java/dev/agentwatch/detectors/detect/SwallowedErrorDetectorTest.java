package dev.agentwatch.detectors.detect;

import static dev.agentwatch.detectors.TestRuns.llm;
import static dev.agentwatch.detectors.TestRuns.root;
import static dev.agentwatch.detectors.TestRuns.tool;
import static dev.agentwatch.detectors.TestRuns.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class SwallowedErrorDetectorTest {
    private final SwallowedErrorDetector detector = new SwallowedErrorDetector(SwallowedErrorDetector.Config.defaults());

    @Test
    void flagsRunWhenToolErrorIsSwallowed() {
        List<Finding> findings = detector.inspect(trace(root(),
                llm("0000000000000001", 0).requests("c1", "check_coverage", "h"),
                tool("0000000000000002", "check_coverage", "h", 600).failed("TimeoutException", "coverage timed out"),
                llm("0000000000000003", 1000)));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.detector()).isEqualTo("swallowed_error");
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.stepId()).isEqualTo("0000000000000002");
            assertThat(f.evidence()).containsEntry("failure", "status_error").containsEntry("run_status", "ok")
                    .containsEntry("error_type", "TimeoutException");
        });
    }

    @Test
    void flagsExceptionsRecordedOnOkSpansAndErrorShapedToolOutput() {
        List<Finding> findings = detector.inspect(trace(root(),
                tool("0000000000000002", "a", "h1", 0).exceptionRecorded("swallowed"),
                tool("0000000000000004", "b", "h2", 100).errorShapedOutput()));

        assertThat(findings).extracting(f -> f.evidence().get("failure"))
                .containsExactly("exception_recorded", "error_shaped_output");
    }

    @Test
    void aRetryThatSucceededIsNotASwallowedError() {
        assertThat(detector.inspect(trace(root(),
                tool("0000000000000002", "check_coverage", "h", 0).failed("Timeout", "t"),
                tool("0000000000000004", "check_coverage", "h", 100)))).isEmpty();
    }

    @Test
    void aRunThatEndedInErrorSurfacedItsFailure() {
        assertThat(detector.inspect(trace(root().failed("Boom", "failed"),
                llm("0000000000000001", 0).failed("HTTP500", "upstream")))).isEmpty();
    }

    @Test
    void aFailedRunThatStillClaimsSuccessIsFlagged() {
        assertThat(detector.inspect(trace(root().failed("Boom", "x").claims("approved"),
                llm("0000000000000001", 0).failed("HTTP500", "upstream"))))
                .singleElement().satisfies(f -> assertThat(f.summary()).contains("claims 'approved'"));
    }

    @Test
    void aClaimThatAdmitsFailureIsNotAClaimOfSuccess() {
        assertThat(detector.inspect(trace(root().failed("Boom", "x").claims("escalated"),
                tool("0000000000000002", "a", "h", 0).failed("E", "e")))).isEmpty();
    }
}
