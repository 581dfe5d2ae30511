package dev.agentwatch.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class UnsynchronizedByteArrayStreamsTest {
    /** Every kind of field the codecs write, a string past the initial capacity included. */
    private static void writeFields(DataOutputStream out) throws IOException {
        out.writeByte(4);
        out.writeInt(-7);
        out.writeLong(1_795_923_246_250_000_000L);
        out.writeDouble(0.000123);
        out.writeBoolean(true);
        out.writeUTF("ünïcode – and a NUL \0 in it");
        out.writeUTF("x".repeat(1_000));
        out.write(new byte[] {1, 2, 3, 4, 5}, 1, 3);
    }

    @Test
    void writesTheSameBytesAsTheJdkStreamAndGrowsFromNoRoom() throws IOException {
        ByteArrayOutputStream jdk = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(jdk)) {
            writeFields(out);
        }
        UnsynchronizedByteArrayOutputStream ours = new UnsynchronizedByteArrayOutputStream(0);
        try (DataOutputStream out = new DataOutputStream(ours)) {
            writeFields(out);
        }

        assertThat(ours.toByteArray()).isEqualTo(jdk.toByteArray());
        assertThat(ours.size()).isEqualTo(jdk.size());
    }

    @Test
    void readsBackWhatWasWrittenAndThenTheEnd() throws IOException {
        UnsynchronizedByteArrayOutputStream bytes = new UnsynchronizedByteArrayOutputStream(16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeFields(out);
        }
        UnsynchronizedByteArrayInputStream input = new UnsynchronizedByteArrayInputStream(bytes.toByteArray());
        DataInputStream in = new DataInputStream(input);

        assertThat(in.readByte()).isEqualTo((byte) 4);
        assertThat(in.readInt()).isEqualTo(-7);
        assertThat(in.readLong()).isEqualTo(1_795_923_246_250_000_000L);
        assertThat(in.readDouble()).isEqualTo(0.000123);
        assertThat(in.readBoolean()).isTrue();
        assertThat(in.readUTF()).isEqualTo("ünïcode – and a NUL \0 in it");
        assertThat(in.readUTF()).isEqualTo("x".repeat(1_000));
        assertThat(input.available()).isEqualTo(3);
        byte[] tail = new byte[5];
        assertThat(in.read(tail, 0, 5)).isEqualTo(3);
        assertThat(tail).containsExactly(2, 3, 4, 0, 0);
        assertThat(input.available()).isZero();
        assertThat(input.read()).isEqualTo(-1);
        assertThat(input.read(tail, 0, 5)).isEqualTo(-1);
        assertThat(input.read(tail, 0, 0)).isZero();
        assertThatThrownBy(in::readByte).isInstanceOf(EOFException.class);
    }

    @Test
    void readsOnlyItsSliceOfTheArray() {
        byte[] bytes = {9, 1, 2, (byte) 0xFF, 9};
        UnsynchronizedByteArrayInputStream input = new UnsynchronizedByteArrayInputStream(bytes, 1, 3);

        assertThat(input.available()).isEqualTo(3);
        assertThat(input.read()).isEqualTo(1);
        assertThat(input.skip(1)).isEqualTo(1);
        assertThat(input.read()).as("unsigned, as InputStream.read promises").isEqualTo(0xFF);
        assertThat(input.read()).isEqualTo(-1);
        assertThat(input.skip(10)).isZero();
        assertThatThrownBy(() -> new UnsynchronizedByteArrayInputStream(bytes, 3, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
