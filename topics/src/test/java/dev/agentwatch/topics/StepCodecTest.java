package dev.agentwatch.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Strings come back through the ASCII fast path of readUtf exactly as writeUTF wrote them. */
class StepCodecTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "chat gpt-4o-mini", "ünïcode – “quotes”", "nul\u0000inside", "emoji 🙂", "日本語", "\u007f\u0080"})
    void writesModifiedUtf8ByteForByteAndReadsItBack(String value) throws IOException {
        ByteArrayOutputStream fast = new ByteArrayOutputStream();
        StepCodec.utf(new DataOutputStream(fast), value);
        ByteArrayOutputStream jdk = new ByteArrayOutputStream();
        new DataOutputStream(jdk).writeUTF(value);

        assertThat(fast.toByteArray()).isEqualTo(jdk.toByteArray());
        assertThat(StepCodec.readUtf(new DataInputStream(new ByteArrayInputStream(jdk.toByteArray())))).isEqualTo(value);
    }
}
