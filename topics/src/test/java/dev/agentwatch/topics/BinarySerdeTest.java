package dev.agentwatch.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentwatch.model.Evaluation;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepSample;
import dev.agentwatch.model.StepStatus;
import dev.agentwatch.model.TokenUsage;
import dev.agentwatch.model.ToolCallRequest;
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

    @Test
    void stepsAndSamplesRoundTripThroughTheirTopicSerdes() {
        byte[] step = Topics.STEPS.valueSerde().serializer().serialize("t", STEP);
        byte[] sample = Topics.STEP_SAMPLES.valueSerde().serializer().serialize("t", SAMPLE);

        assertThat(Topics.STEPS.valueSerde().deserializer().deserialize("t", step)).isEqualTo(STEP);
        assertThat(Topics.STEP_SAMPLES.valueSerde().deserializer().deserialize("t", sample)).isEqualTo(SAMPLE);
        assertThat(step.length).as("smaller than its JSON")
                .isLessThan(JsonSerde.of(Step.class).serializer().serialize("t", STEP).length);
    }

    @Test
    void stillReadsTheJsonOfEarlierReleases() {
        byte[] json = JsonSerde.of(Step.class).serializer().serialize("t", STEP);

        assertThat(Topics.STEPS.valueSerde().deserializer().deserialize("t", json)).isEqualTo(STEP);
    }

    @Test
    void refusesAnUnknownVersionATruncatedRecordAndLeftoverBytes() {
        byte[] good = Topics.STEPS.valueSerde().serializer().serialize("t", STEP);
        byte[] otherVersion = good.clone();
        otherVersion[0] = 9;
        byte[] leftover = Arrays.copyOf(good, good.length + 1);

        var deserializer = Topics.STEPS.valueSerde().deserializer();
        assertThatThrownBy(() -> deserializer.deserialize("t", otherVersion)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("format version 9, expected 1");
        assertThatThrownBy(() -> deserializer.deserialize("t", Arrays.copyOf(good, good.length / 2)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> deserializer.deserialize("t", leftover)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("1 bytes left over");
        assertThatThrownBy(() -> deserializer.deserialize("t", "not a step".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[0])).isInstanceOf(SerializationException.class);
    }
}
