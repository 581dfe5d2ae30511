package dev.agentwatch.detectors.detect;

import static dev.agentwatch.detectors.TestRuns.llm;
import static dev.agentwatch.detectors.TestRuns.root;
import static dev.agentwatch.detectors.TestRuns.tool;
import static dev.agentwatch.detectors.TestRuns.trace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.detectors.TestRuns;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.StepKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopDetectorTest {
    private final LoopDetector detector = new LoopDetector(LoopDetector.Config.defaults());

    @Test
    void flagsTheSameToolCalledWithTheSameArgumentsThreeTimes() {
        List<Finding> findings = detector.inspect(trace(root(),
                llm("0000000000000001", 0).requests("c1", "get_weather", "p"),
                tool("0000000000000002", "get_weather", "paris", 600),
                llm("0000000000000003", 1000).requests("c2", "get_weather", "p"),
                tool("0000000000000004", "get_weather", "paris", 1600),
                llm("0000000000000005", 2000).requests("c3", "get_weather", "p"),
                tool("0000000000000006", "get_weather", "paris", 2600)));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.detector()).isEqualTo("loop");
            assertThat(f.evidence()).containsEntry("tool", "get_weather").containsEntry("identical_calls", "3")
                    .containsEntry("arguments_hash", "paris");
        });
    }

    @Test
    void aLegitimateRetryAfterFailuresIsNotALoop() {
        assertThat(detector.inspect(trace(root(),
                tool("0000000000000002", "get_weather", "paris", 0).failed("Timeout", "timed out"),
                tool("0000000000000004", "get_weather", "paris", 100).failed("Timeout", "timed out"),
                tool("0000000000000006", "get_weather", "paris", 200)))).isEmpty();
    }

    @Test
    void theSameToolWithDifferentArgumentsIsNotALoop() {
        assertThat(detector.inspect(trace(root(),
                llm("0000000000000001", 0).requests("c1", "search", "q1"),
                tool("0000000000000002", "search", "q1", 600),
                llm("0000000000000003", 1000).requests("c2", "search", "q2"),
                tool("0000000000000004", "search", "q2", 1600),
                llm("0000000000000005", 2000).requests("c3", "search", "q3"),
                tool("0000000000000006", "search", "q3", 2600),
                llm("0000000000000007", 3000)))).isEmpty();
    }

    @Test
    void flagsARepeatedCycleOfStepsWithoutArgumentHashes() {
        // Tools without argument hashes cannot be called identical; the LLM's requests make the cycle.
        List<Finding> findings = detector.inspect(trace(root(),
                llm("0000000000000001", 0).requests("", "lookup", "h"),
                tool("0000000000000002", "lookup", "", 600),
                llm("0000000000000003", 1000).requests("", "lookup", "h"),
                tool("0000000000000004", "lookup", "", 1600),
                llm("0000000000000005", 2000).requests("", "lookup", "h"),
                tool("0000000000000006", "lookup", "", 2600)));

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.detector()).isEqualTo("loop");
            assertThat(f.evidence()).containsEntry("cycle_length", "2").containsEntry("repeats", "3")
                    .containsEntry("cycle", "chat gpt-4o-mini > lookup");
        });
    }

    /** A late step that starts before the cycle first seen shifts where it starts; it is the same loop. */
    @Test
    void aCycleIsTheSameFindingWhicheverOfItsStepsItIsFirstSeenAt() {
        List<TestRuns.StepBuilder> cycle = List.of(
                llm("0000000000000001", 1000).requests("", "lookup", "h"),
                tool("0000000000000002", "lookup", "", 1600),
                llm("0000000000000003", 2000).requests("", "lookup", "h"),
                tool("0000000000000004", "lookup", "", 2600),
                llm("0000000000000005", 3000).requests("", "lookup", "h"),
                tool("0000000000000006", "lookup", "", 3600));
        List<TestRuns.StepBuilder> closed = new ArrayList<>(cycle);
        closed.add(root());
        List<TestRuns.StepBuilder> withALateToolFirst = new ArrayList<>(closed);
        withALateToolFirst.add(tool("0000000000000007", "lookup", "", 500));

        Finding before = detector.inspect(trace(closed.toArray(TestRuns.StepBuilder[]::new))).getFirst();
        Finding after = detector.inspect(trace(withALateToolFirst.toArray(TestRuns.StepBuilder[]::new))).getFirst();

        assertThat(after.fingerprint()).isEqualTo(before.fingerprint());
        assertThat(LoopDetector.firstRotation(List.of("llm|a", "tool|b"))).isEqualTo("llm|a>tool|b");
        assertThat(LoopDetector.firstRotation(List.of("tool|b", "llm|a"))).isEqualTo("llm|a>tool|b");
    }

    @Test
    void stepsThatCarryNothingToCompareNeverMakeACycle() {
        assertThat(detector.inspect(trace(root(),
                llm("0000000000000001", 0), llm("0000000000000002", 1000), llm("0000000000000003", 2000),
                tool("0000000000000004", "r", "", 3000).kind(StepKind.RETRIEVAL),
                tool("0000000000000005", "r", "", 3100).kind(StepKind.RETRIEVAL),
                tool("0000000000000006", "r", "", 3200).kind(StepKind.RETRIEVAL)))).isEmpty();
    }

    @Test
    void fingerprintIsStableAcrossEvaluations() {
        var trace = trace(root(), tool("0000000000000002", "t", "a", 0), tool("0000000000000004", "t", "a", 100),
                tool("0000000000000006", "t", "a", 200));

        assertThat(detector.inspect(trace).getFirst().fingerprint())
                .isEqualTo(detector.inspect(trace).getFirst().fingerprint()).hasSize(32);
    }
}
