package dev.agentwatch.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentwatch.model.Evaluation;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunStatus;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepBatch;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepSample;
import dev.agentwatch.model.StepSamples;
import dev.agentwatch.model.StepStatus;
import dev.agentwatch.model.TokenUsage;
import dev.agentwatch.model.ToolCallRequest;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class BinarySerdeTest {
    private static final Step STEP = new Step("acme", "claims-service", "claims-agent", "1.4.2", "0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331", "00f067aa0ba902b7", StepKind.LLM, "chat gpt-4o-mini", "chat gpt-4o-mini", "chat", "openai",
            "gpt-4o-mini", 1_795_923_246_000_000_000L, 1_795_923_246_250_000_000L, StepStatus.ERROR, "TimeoutError",
            "timed out\n\nafter 3 tries – ünïcode", new TokenUsage(100, 20, 10, 5, 3), 0.000123, "stop", "", "", "", false,
            List.of(new ToolCallRequest("call_1", "lookup_policy", "abcd")), "conv-1", "CLAIM-1", "approved",
            List.of(new Evaluation("correctness", 0.9, "pass")), 1234, 56, "0123456789abcdef");
    private static final StepSample SAMPLE = new StepSample("acme", "claims-agent", "1.4.2", StepKind.TOOL, "lookup_policy", "",
            "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "CLAIM-1", 1_795_923_246_250_000_000L, 1_500_000L, true,
            0, 0, 0.0);

    /** A second call of the same tool in the same run. */
    private static final StepSample AGAIN = new StepSample("acme", "claims-agent", "1.4.2", StepKind.TOOL, "lookup_policy", "",
            "0af7651916cd43dd8448eb211c80319c", "c7ad6b7169203332", "CLAIM-1", 1_795_923_247_000_000_000L, 2_500_000L, false,
            0, 0, 0.01);
    private static final StepSamples BOTH = new StepSamples(List.of(SAMPLE, AGAIN));

    @Test
    void stepsAndSamplesRoundTripThroughTheirTopicSerdes() {
        StepBatch twice = new StepBatch(List.of(STEP, STEP));
        byte[] step = Topics.STEPS.valueSerde().serializer().serialize("t", StepBatch.of(STEP));
        byte[] steps = Topics.STEPS.valueSerde().serializer().serialize("t", twice);
        byte[] samples = Topics.STEP_SAMPLES.valueSerde().serializer().serialize("t", BOTH);

        assertThat(Topics.STEPS.valueSerde().deserializer().deserialize("t", step)).isEqualTo(StepBatch.of(STEP));
        assertThat(Topics.STEPS.valueSerde().deserializer().deserialize("t", steps)).isEqualTo(twice);
        assertThat(Topics.STEP_SAMPLES.valueSerde().deserializer().deserialize("t", samples)).isEqualTo(BOTH);
        assertThat(step[0]).isEqualTo((byte) 2);
        assertThat(samples[0]).isEqualTo((byte) 2);
        assertThat(step.length).as("smaller than its JSON")
                .isLessThan(JsonSerde.of(Step.class).serializer().serialize("t", STEP).length);
        assertThat(samples.length).as("smaller than a record per sample")
                .isLessThan(2 * Topics.STEP_SAMPLE_V1.serializer().serialize("t", SAMPLE).length);
    }

    @Test
    void stepSamplesReadTheSingleSamplesOfFormatVersionOneAndTheJsonBeforeIt() {
        byte[] versionOne = Topics.STEP_SAMPLE_V1.serializer().serialize("t", SAMPLE);
        byte[] json = JsonSerde.of(StepSample.class).serializer().serialize("t", AGAIN);

        var deserializer = Topics.STEP_SAMPLES.valueSerde().deserializer();
        assertThat(versionOne[0]).isEqualTo((byte) 1);
        assertThat(deserializer.deserialize("t", versionOne)).isEqualTo(StepSamples.of(SAMPLE));
        assertThat(deserializer.deserialize("t", json)).isEqualTo(StepSamples.of(AGAIN));
    }

    @Test
    void refusesStepSamplesOfAnUnknownVersionOrWithACountTheirBytesCannotHold() {
        byte[] good = Topics.STEP_SAMPLES.valueSerde().serializer().serialize("t", BOTH);
        byte[] otherVersion = good.clone();
        otherVersion[0] = 9;
        byte[] huge = good.clone();
        // The count follows the eight shared strings: 2 becomes 2^30 + 2.
        int countAt = 1 + sharedBytes(SAMPLE);
        assertThat(Arrays.copyOfRange(huge, countAt, countAt + 4)).containsExactly(0, 0, 0, 2);
        huge[countAt] = 0x40;

        var deserializer = Topics.STEP_SAMPLES.valueSerde().deserializer();
        assertThatThrownBy(() -> deserializer.deserialize("t", otherVersion)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("format version 9, expected 2");
        assertThatThrownBy(() -> deserializer.deserialize("t", huge)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("step samples count 1073741826 does not fit the 118 bytes left");
        assertThatThrownBy(() -> deserializer.deserialize("t", Arrays.copyOf(good, good.length - 3)))
                .isInstanceOf(SerializationException.class);
    }

    /** The bytes of what a step samples record's samples share: eight length-prefixed strings. */
    private static int sharedBytes(StepSample s) {
        return List.of(s.tenant(), s.agentName(), s.agentVersion(), s.kind().name(), s.name(), s.model(), s.runId(),
                s.subjectId()).stream().mapToInt(field -> 2 + field.getBytes(StandardCharsets.UTF_8).length).sum();
    }

    private static final Run RUN = new Run("acme", "0af7651916cd43dd8448eb211c80319c", "claims-service", "claims-agent",
            "1.4.2", List.of("gpt-4o-mini", "claude-sonnet-4"), "00f067aa0ba902b7", "invoke_agent claims-agent",
            1_795_923_246_000_000_000L, 1_795_923_249_000_000_000L, RunStatus.OK, 7, 3, 3, 1, 1, 0, 2100, 180, 0.00042,
            List.of("claims-agent", "chat gpt-4o-mini", "lookup_policy", "chat ünïcode – “quotes” 🙂"), "CLAIM-1", "approved",
            "conv-1", 0.25, "fail", 2, 3, 1_795_923_250_000L);
    private static final Run UNJUDGED = new Run("acme", "1af7651916cd43dd8448eb211c80319c", "", "", "", List.of(), "", "",
            1, 2, RunStatus.UNFINISHED, 1, 0, 0, 0, 0, 0, 0, 0, 0, List.of("x"), "", "", "", Double.NaN, "", 0, 0, 2);

    @Test
    void runsRoundTripThroughTheirTopicSerdeJudgedOrNot() {
        var serde = Topics.RUNS.valueSerde();
        for (Run run : List.of(RUN, UNJUDGED)) {
            byte[] bytes = serde.serializer().serialize("t", run);

            assertThat(bytes[0]).isEqualTo((byte) 1);
            assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(run);
        }
    }

    @Test
    void framesFieldsWrittenElsewhereAsItsSerializerFramesTheValue() throws IOException {
        StepBatch batch = new StepBatch(List.of(STEP, STEP));
        UnsynchronizedByteArrayOutputStream fields = new UnsynchronizedByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(fields)) {
            StepCodec.writeBatch(batch, out);
        }

        byte[] framed = Topics.STEP_BATCH_FORMAT.framed(fields.toByteArray());

        assertThat(framed).isEqualTo(Topics.STEPS.valueSerde().serializer().serialize("t", batch));
        assertThat(Topics.STEPS.valueSerde().deserializer().deserialize("t", framed)).isEqualTo(batch);
    }

    @Test
    void stillReadsTheJsonOfEarlierReleases() {
        byte[] json = JsonSerde.of(Step.class).serializer().serialize("t", STEP);
        byte[] run = JsonSerde.of(Run.class).serializer().serialize("t", RUN);
        byte[] unjudged = JsonSerde.of(Run.class).serializer().serialize("t", UNJUDGED);

        assertThat(Topics.STEPS.valueSerde().deserializer().deserialize("t", json)).isEqualTo(StepBatch.of(STEP));
        assertThat(Topics.RUNS.valueSerde().deserializer().deserialize("t", run)).isEqualTo(RUN);
        assertThat(Topics.RUNS.valueSerde().deserializer().deserialize("t", unjudged)).isEqualTo(UNJUDGED);
    }

    @Test
    void stepsReadTheSingleStepsOfFormatVersionOne() {
        byte[] versionOne = Topics.STEP_FORMAT.serializer().serialize("t", STEP);

        assertThat(versionOne[0]).isEqualTo((byte) 1);
        assertThat(Topics.STEPS.valueSerde().deserializer().deserialize("t", versionOne)).isEqualTo(StepBatch.of(STEP));
    }

    @Test
    void refusesAnUnknownVersionATruncatedRecordAndLeftoverBytes() {
        byte[] good = Topics.STEPS.valueSerde().serializer().serialize("t", StepBatch.of(STEP));
        byte[] otherVersion = good.clone();
        otherVersion[0] = 9;
        byte[] leftover = Arrays.copyOf(good, good.length + 1);

        var deserializer = Topics.STEPS.valueSerde().deserializer();
        assertThatThrownBy(() -> deserializer.deserialize("t", otherVersion)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("format version 9, expected 2");
        assertThatThrownBy(() -> deserializer.deserialize("t", Arrays.copyOf(good, good.length / 2)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> deserializer.deserialize("t", leftover)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("1 bytes left over");
        assertThatThrownBy(() -> deserializer.deserialize("t", "not a step".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[0])).isInstanceOf(SerializationException.class);
    }
}
