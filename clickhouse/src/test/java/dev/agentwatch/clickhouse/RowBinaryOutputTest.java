package dev.agentwatch.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowBinaryOutputTest {
    @Test
    void writesStringsWithLeb128LengthPrefix() {
        RowBinaryOutput out = new RowBinaryOutput(16);
        out.string("a".repeat(200));
        byte[] bytes = out.toByteArray();
        assertThat(bytes).hasSize(2 + 200);
        assertThat(bytes[0] & 0xFF).isEqualTo(200 & 0x7F | 0x80);
        assertThat(bytes[1]).isEqualTo((byte) 1);
    }

    @Test
    void writesNumbersLittleEndian() {
        byte[] bytes = new RowBinaryOutput(16).int64(0x0102030405060708L).uint32(0x0A0B0C0DL).toByteArray();
        assertThat(bytes).containsExactly(8, 7, 6, 5, 4, 3, 2, 1, 0x0D, 0x0C, 0x0B, 0x0A);
    }

    @Test
    void writesArraysAsCountThenElements() {
        byte[] bytes = new RowBinaryOutput(16).stringArray(List.of("x", "yz")).toByteArray();
        assertThat(bytes).containsExactly(2, 1, 'x', 2, 'y', 'z');
    }

    @Test
    void writesFloat64AsIeeeBits() {
        byte[] bytes = new RowBinaryOutput(16).float64(1.0).toByteArray();
        assertThat(bytes).containsExactly(0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F);
    }

    @Test
    void growsPastItsInitialSizeKeepingEveryByteInOrder() throws Exception {
        RowBinaryOutput out = new RowBinaryOutput(16);
        ByteBuffer expected = ByteBuffer.allocate(64 * 3_000).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 3_000; i++) {
            String text = "row-" + i;
            out.int64(i * 1_000_003L).string(text).uint32(i).uint8(i);
            expected.putLong(i * 1_000_003L).put((byte) text.length()).put(text.getBytes(StandardCharsets.US_ASCII))
                    .putInt(i).put((byte) i);
        }
        byte[] want = Arrays.copyOf(expected.array(), expected.position());
        assertThat(out.size()).isEqualTo(want.length);
        assertThat(out.toByteArray()).isEqualTo(want);
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        out.writeTo(streamed);
        assertThat(streamed.toByteArray()).isEqualTo(want);
    }
}
