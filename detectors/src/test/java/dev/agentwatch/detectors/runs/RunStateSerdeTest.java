package dev.agentwatch.detectors.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentwatch.detectors.TestRuns;
import dev.agentwatch.testkit.TestSteps;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RunStateSerdeTest {

    @Test
    void roundTripsEveryFieldOfEveryStep() {
        RunState state = RunState.open(TestSteps.llm("acme", TestRuns.RUN, 0), 5)
                .with(TestSteps.failedTool("acme", TestRuns.RUN, 1), 9, 10)
                .with(TestRuns.root().judged(0.25, "fail").build(), 7, 10)
                .closedAt(11, Set.of("abc", "def"));

        RunState decoded = RunStateSerde.decode(RunStateSerde.encode(state));

        assertThat(decoded).isEqualTo(state);
        assertThat(decoded.lastActivityMillis()).isEqualTo(9);
    }

    @Test
    void keepsTotalsOfStepsBeyondTheCap() {
        RunState state = RunState.open(TestRuns.root().build(), 1);
        for (int i = 0; i < 5; i++) {
            state = state.with(TestRuns.llm(String.format("%016x", i + 1), i).build(), 1, 3);
        }

        RunState decoded = RunStateSerde.decode(RunStateSerde.encode(state));

        assertThat(decoded.steps()).hasSize(3);
        assertThat(decoded.overflow().steps()).isEqualTo(3);
        assertThat(RunSummarizer.summarize(decoded, 1, 0, 0).steps()).isEqualTo(6);
        assertThat(RunSummarizer.summarize(decoded, 1, 0, 0).llmCalls()).isEqualTo(5);
    }

    @Test
    void refusesBytesOfAnUnknownVersion() {
        assertThatThrownBy(() -> RunStateSerde.decode(new byte[] {9, 0, 0})).isInstanceOf(SerializationException.class);
    }
}
