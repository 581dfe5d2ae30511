package dev.agentwatch.detectors.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentwatch.detectors.TestRuns;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunStatus;
import dev.agentwatch.model.Severity;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepBatch;
import dev.agentwatch.testkit.TestSteps;
import dev.agentwatch.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RunStateSerdeTest {

    @Test
    void roundTripsEveryFieldOfEveryStep() {
        RunState state = with(with(open(TestSteps.llm("acme", TestRuns.RUN, 0), 5),
                TestSteps.failedTool("acme", TestRuns.RUN, 1), 9, 10), TestRuns.root().judged(0.25, "fail").build(), 7, 10)
                .closedAt(11, Map.of("abc", Optional.of(finding("abc")), "def", Optional.empty()));

        RunState decoded = RunStateSerde.decode(RunStateSerde.encode(state));

        assertThat(decoded).isEqualTo(state);
        assertThat(decoded.lastActivityMillis()).isEqualTo(9);
    }

    private static RunState open(Step first, long at) {
        return RunState.open(first, RunStateSerde.encodedSize(first), at);
    }

    private static RunState with(RunState state, Step step, long at, int maxSteps) {
        return state.with(step, RunStateSerde.encodedSize(step), at, maxSteps);
    }

    @Test
    void keepsTotalsOfStepsBeyondTheCap() {
        RunState state = open(TestRuns.root().build(), 1);
        for (int i = 0; i < 5; i++) {
            state = with(state, TestRuns.llm(String.format("%016x", i + 1), i).build(), 1, 3);
        }

        RunState decoded = RunStateSerde.decode(RunStateSerde.encode(state));

        assertThat(decoded.steps()).hasSize(3);
        assertThat(decoded.overflow().steps()).isEqualTo(3);
        assertThat(decoded.overflow().stepIds().size()).isEqualTo(3);
        assertThat(decoded.hasStep("0000000000000005")).as("not kept, but known").isTrue();
        assertThat(decoded.hasStep("0000000000000006")).isFalse();
        assertThat(RunSummarizer.summarize(decoded, 1, 0, 0).steps()).isEqualTo(6);
        assertThat(RunSummarizer.summarize(decoded, 1, 0, 0).llmCalls()).isEqualTo(5);
    }

    /** Any parentless span is a root; only the first is kept past the caps, or such spans alone could pass 1 MiB. */
    @Test
    void keepsTheFirstRootPastTheCapsAndCountsFurtherParentlessSpans() {
        RunState state = open(TestRuns.llm("0000000000000001", 0).build(), 1);
        state = with(state, TestRuns.root().build(), 2, 1);
        for (int i = 0; i < 3; i++) {
            state = with(state, TestRuns.parentless(String.format("%016x", i + 0x100), i).build(), 3, 1);
        }

        assertThat(state.steps()).extracting(Step::stepId).containsExactly("0000000000000001", "00000000000000aa");
        assertThat(state.overflow().steps()).isEqualTo(3);
        assertThat(state.hasStep("0000000000000102")).as("not kept, but known").isTrue();
    }

    /**
     * A looping agent's steps, every name at the 256-character cut: kept whole, 1,500 of them
     * would make a state larger than Kafka takes (1 MiB per record).
     */
    @Test
    void keepsStepsUpToTheByteCapCountsTheRestAndStaysUnderWhatKafkaTakes() {
        String tool = "lookup_" + "x".repeat(300);
        String error = "unavailable: " + "no answer; ".repeat(30);
        RunState state = null;
        int retries = 1_500;
        for (int i = 0; i < retries; i++) {
            Step step = TestRuns.tool(String.format("%016x", i + 1), tool, "h" + i, i).failed(error, error).build();
            state = state == null ? open(step, i) : with(state, step, i, 10_000);
        }
        state = with(state, TestRuns.root().agent("loop-agent", "v1").build(), retries, 10_000);

        byte[] bytes = RunStateSerde.encode(state);
        RunState decoded = RunStateSerde.decode(bytes);

        assertThat(state.steps().size()).isBetween(100, retries);
        assertThat(state.overflow().steps()).isEqualTo(retries + 1 - state.steps().size());
        assertThat(state.stepBytes()).isLessThanOrEqualTo(RunState.MAX_STEP_BYTES);
        assertThat(bytes.length).isLessThan(1024 * 1024 - 64 * 1024);
        assertThat(decoded).isEqualTo(state);
        Run run = RunSummarizer.summarize(decoded, retries, 0, 0);
        assertThat(run.steps()).isEqualTo(retries + 1);
        assertThat(run.toolCalls()).isEqualTo(retries);
        assertThat(run.errors()).isEqualTo(retries);
        assertThat(run.status()).as("from the root, kept past the cap").isEqualTo(RunStatus.OK);
        assertThat(run.agentName()).isEqualTo("loop-agent");
    }

    /**
     * A looping run's state near its worst: steps up to the byte cap, its root past it, as many
     * findings as a run emits (32-hex fingerprints), 32 of them kept as emitted at nearly 4 KiB
     * each (the ids of steps not kept, up to 128 KiB more, are left out here).
     */
    @Test
    void keepsFindingsAsEmittedUpToTheirCapsSoALoopingRunStaysUnderWhatKafkaTakes() {
        String tool = "lookup_" + "x".repeat(300);
        String error = "unavailable: " + "no answer; ".repeat(30);
        RunState state = null;
        for (int i = 0; i < 1_500; i++) {
            Step step = TestRuns.tool(String.format("%016x", i + 0x1000), tool, "h" + i, i).failed(error, error).build();
            state = state == null ? open(step, i) : with(state, step, i, 10_000);
        }
        state = with(state, TestRuns.root().agent("loop-agent", "v1").build(), 1_500, 10_000);
        Map<String, Optional<Finding>> emitted = new LinkedHashMap<>();
        int kept = 0;
        int mostFindings = RunState.MAX_FINDINGS_EMITTED;
        for (int i = 0; i < mostFindings; i++) {
            Step step = state.steps().get(i % state.steps().size());
            Finding finding = new Finding(String.format("%016x", i) + step.stepId(), "swallowed_error",
                    Severity.ERROR, "acme", "loop-agent", "v1", TestRuns.RUN, step.stepId(), "",
                    "tool " + tool + " failed and the run went on", step.endEpochNanos(), 1_000_000,
                    Map.of("tool", tool, "error_message", error.repeat(8)), Map.of("service", "claims-service"));
            assertThat(RunStateSerde.findingBytes(finding))
                    .isBetween(RunState.MAX_FINDING_BYTES - 512, RunState.MAX_FINDING_BYTES);
            Optional<Finding> asKept = state.capMissedBy(finding, kept).isEmpty() ? Optional.of(finding) : Optional.empty();
            kept += asKept.isPresent() ? 1 : 0;
            emitted.put(finding.fingerprint(), asKept);
        }
        state = state.closedAt(1_500, emitted);

        byte[] bytes = RunStateSerde.encode(state);
        RunState decoded = RunStateSerde.decode(bytes);

        assertThat(bytes.length).isLessThan(1024 * 1024 - 64 * 1024);
        assertThat(decoded.emitted()).hasSize(mostFindings);
        assertThat(decoded.emitted().values().stream().filter(Optional::isPresent).count())
                .isEqualTo(RunState.MAX_FINDINGS_AS_EMITTED);
        assertThat(decoded).isEqualTo(state);
        assertThat(List.copyOf(decoded.emitted().keySet())).as("in emission order")
                .isEqualTo(List.copyOf(state.emitted().keySet()));
    }

    @Test
    void doesNotKeepAFindingLargerThanItsCapAsEmitted() {
        RunState state = open(TestSteps.llm("acme", TestRuns.RUN, 0), 5);
        Finding huge = new Finding("fp", "missing_tool_step", Severity.WARNING, "acme", "", "", TestRuns.RUN, "", "",
                "x".repeat(RunState.MAX_FINDING_BYTES), 0, 0, Map.of(), Map.of());

        assertThat(state.capMissedBy(huge, 0)).contains("max_finding_bytes");
        assertThat(state.capMissedBy(finding("fp"), 0)).isEmpty();
        assertThat(state.capMissedBy(finding("fp"), RunState.MAX_FINDINGS_AS_EMITTED)).contains("max_findings");
    }

    @Test
    void keepsTheRootPastTheStepCap() {
        RunState state = open(TestRuns.llm("0000000000000001", 0).build(), 0);
        for (int i = 1; i < 5; i++) {
            state = with(state, TestRuns.llm(String.format("%016x", i + 1), i).build(), i, 3);
        }
        state = with(state, TestRuns.root().agent("claims-agent", "v2").build(), 5, 3);

        assertThat(state.steps()).hasSize(4);
        assertThat(state.steps().getLast().isRoot()).isTrue();
        Run run = RunSummarizer.summarize(state, 5, 0, 0);
        assertThat(run.status()).isEqualTo(RunStatus.OK);
        assertThat(run.agentVersion()).isEqualTo("v2");
        assertThat(run.steps()).isEqualTo(6);
    }

    @Test
    void refusesBytesOfAnUnknownVersion() {
        assertThatThrownBy(() -> RunStateSerde.decode(new byte[] {9, 0, 0})).isInstanceOf(SerializationException.class);
    }

    @Test
    void readsStateWrittenBeforeStepsWereLengthPrefixed() throws Exception {
        RunState state = with(open(TestSteps.llm("acme", TestRuns.RUN, 0), 5),
                TestSteps.failedTool("acme", TestRuns.RUN, 1), 9, 10);
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
        // Without the count of step ids not kept (0 here), which version 3 added at the end.
        out.write(current.array(), current.position(), current.remaining() - 4);

        assertThat(RunStateSerde.decode(version1.toByteArray())).isEqualTo(state);
    }

    @Test
    void readsStateWrittenBeforeTheIdsOfStepsNotKeptWereRemembered() {
        RunState state = with(open(TestSteps.llm("acme", TestRuns.RUN, 0), 5),
                TestSteps.failedTool("acme", TestRuns.RUN, 1), 9, 10);
        byte[] current = RunStateSerde.encode(state);
        byte[] version2 = Arrays.copyOf(current, current.length - 4);
        version2[0] = 2;

        assertThat(RunStateSerde.decode(version2)).isEqualTo(state);
    }

    @Test
    void readsStateWrittenBeforeTheFindingsAsEmittedWereRecorded() {
        // A step past the cap of 1, so the state holds the id of a step not kept too.
        RunState state = with(open(TestSteps.llm("acme", TestRuns.RUN, 0), 5),
                TestSteps.failedTool("acme", TestRuns.RUN, 1), 9, 1)
                .closedAt(11, Map.of("abc", Optional.empty(), "def", Optional.empty()));
        byte[] current = RunStateSerde.encode(state);
        // Version 4 appended each finding's length (4 bytes, 0: not kept) and JSON.
        byte[] version3 = Arrays.copyOf(current, current.length - 2 * 4);
        version3[0] = 3;

        RunState decoded = RunStateSerde.decode(version3);

        assertThat(decoded).isEqualTo(state);
        assertThat(decoded.overflow().stepIds().size()).isEqualTo(1);
        assertThat(decoded.emitted()).containsOnlyKeys("abc", "def");
    }

    private static Finding finding(String fingerprint) {
        return new Finding(fingerprint, "unfinished_run", Severity.WARNING, "acme", "claims-agent", "1.0.0", TestRuns.RUN, "",
                "CLAIM-1", "run never finished", TestRuns.T0_NANOS, 1_000_000, Map.of("steps", "2"),
                Map.of("service", "claims-service"));
    }

    /** Kept only to be resolved: a kept finding that no longer reads costs its resolution, not the run. */
    @Test
    void readsAStateWhoseKeptFindingNoLongerReadsWithThatFindingByFingerprintOnly() {
        RunState state = with(open(TestSteps.llm("acme", TestRuns.RUN, 0), 5),
                TestSteps.failedTool("acme", TestRuns.RUN, 1), 9, 10)
                .closedAt(11, Map.of("abc", Optional.of(finding("abc"))));
        byte[] bytes = RunStateSerde.encode(state);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int json = text.lastIndexOf("{\"fingerprint\"");
        assertThat(json).isPositive();
        bytes[json] = 'x';

        RunState decoded = RunStateSerde.decode(bytes);

        assertThat(decoded.emitted()).isEqualTo(Map.of("abc", Optional.empty()));
        assertThat(decoded.steps()).isEqualTo(state.steps());
    }

    @Test
    void refusesAnImplausibleCountOfStepIds() {
        byte[] bytes = RunStateSerde.encode(open(TestSteps.llm("acme", TestRuns.RUN, 0), 5));
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, -1);

        assertThatThrownBy(() -> RunStateSerde.decode(bytes)).isInstanceOf(SerializationException.class);
    }

    @Test
    void decodesTheSameOnAThreadThatRemembersNothing() throws Exception {
        RunState state = with(open(TestSteps.llm("acme", TestRuns.RUN, 0), 5),
                TestSteps.failedTool("acme", TestRuns.RUN, 1), 9, 10);
        byte[] bytes = RunStateSerde.encode(state);
        AtomicReference<RunState> elsewhere = new AtomicReference<>();

        Thread thread = Thread.ofPlatform().start(() -> elsewhere.set(RunStateSerde.decode(bytes)));
        thread.join();

        assertThat(elsewhere.get()).isEqualTo(state);
        assertThat(RunStateSerde.decode(bytes)).isEqualTo(state);
    }

    @Test
    void writesStepsForTheirTopicAsTheTopicsOwnSerdeDoesAndTheySurviveIt() {
        List<Step> steps = List.of(TestSteps.llm("acme", TestRuns.RUN, 0), TestSteps.failedTool("acme", TestRuns.RUN, 1),
                TestRuns.root().judged(0.25, "fail").build());
        for (StepBatch batch : List.of(new StepBatch(steps), StepBatch.of(steps.get(1)))) {
            byte[] record = RunStateSerde.stepsTopicRecord(batch);

            assertThat(record).isEqualTo(Topics.STEPS.valueSerde().serializer().serialize(Topics.STEPS.name(), batch));
            assertThat(Topics.STEPS.valueSerde().deserializer().deserialize(Topics.STEPS.name(), record)).isEqualTo(batch);
        }
    }
}
