package dev.agentwatch.detectors.detect;

import static dev.agentwatch.detectors.TestRuns.root;
import static dev.agentwatch.detectors.TestRuns.tool;
import static dev.agentwatch.detectors.TestRuns.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Severity;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolPolicyDetectorTest {

    @Test
    void flagsToolsOutsideTheAllowListAndWritesByReadOnlyAgents() {
        ToolPolicyDetector detector = new ToolPolicyDetector(new ToolPolicyDetector.Config(
                Map.of("claims-agent", Set.of("check_coverage", "delete_claim")), Set.of("claims-agent"),
                Set.of("delete_*", "issue_refund")));

        assertThat(detector.inspect(trace(root(),
                tool("0000000000000002", "check_coverage", "h", 0),
                tool("0000000000000004", "send_email", "h", 100),
                tool("0000000000000006", "delete_claim", "h", 200))))
                .extracting(Finding::severity, f -> f.evidence().get("tool"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Severity.ERROR, "send_email"),
                        org.assertj.core.groups.Tuple.tuple(Severity.CRITICAL, "delete_claim"));
    }

    @Test
    void agentsWithoutAPolicyMayUseAnyTool() {
        assertThat(new ToolPolicyDetector(ToolPolicyDetector.Config.none())
                .inspect(trace(root(), tool("0000000000000002", "rm_rf", "h", 0)))).isEmpty();
    }
}
