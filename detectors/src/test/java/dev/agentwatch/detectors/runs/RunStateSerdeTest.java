package dev.agentwatch.detectors.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentwatch.detectors.TestRuns;
import dev.agentwatch.testkit.TestSteps;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
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

    @Test
    void readsStateWrittenBeforeStepsWereLengthPrefixed() throws Exception {
        RunState state = RunState.open(TestSteps.llm("acme", TestRuns.RUN, 0), 5)
                .with(TestSteps.failedTool("acme", TestRuns.RUN, 1), 9, 10);
        ByteBuffer current = ByteBuffer.wrap(RunStateSerde.encode(state));
        current.get();
        int count = current.getInt();
        ByteArrayOutputStream version1 = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(version1);
        out.writeByte(1);
        out.writeInt(count);
        for (int i = 0; i < count; i++) {
            byte[] step = new byte[current.getInt()];
            current.get(step);
            out.write(step);
        }
        out.write(current.array(), current.position(), current.remaining());

        assertThat(RunStateSerde.decode(version1.toByteArray())).isEqualTo(state);
    }

    @Test
    void decodesTheSameOnAThreadThatRemembersNothing() throws Exception {
        RunState state = RunState.open(TestSteps.llm("acme", TestRuns.RUN, 0), 5)
                .with(TestSteps.failedTool("acme", TestRuns.RUN, 1), 9, 10);
        byte[] bytes = RunStateSerde.encode(state);
        AtomicReference<RunState> elsewhere = new AtomicReference<>();

        Thread thread = Thread.ofPlatform().start(() -> elsewhere.set(RunStateSerde.decode(bytes)));
        thread.join();

        assertThat(elsewhere.get()).isEqualTo(state);
        assertThat(RunStateSerde.decode(bytes)).isEqualTo(state);
    }
}
