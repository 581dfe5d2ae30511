package dev.agentwatch.clickhouse;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growing byte array of values as ClickHouse's binary formats encode them: little-endian
 * numbers, LEB128 lengths. A plain array rather than a ByteArrayOutputStream, whose every write
 * takes a lock: a sink writes a few dozen small values per row. Not thread-safe.
 */
final class WireBuffer {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buffer;
    private int size;

    WireBuffer(int initialBytes) {
        this.buffer = new byte[Math.max(16, initialBytes)];
    }

    /** A length-prefixed UTF-8 string. */
    void string(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        varUInt(bytes.length);
        room(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
    }

    void uint8(int value) {
        room(1);
        buffer[size++] = (byte) value;
    }

    void int32(int value) {
        room(4);
        INT_LE.set(buffer, size, value);
        size += 4;
    }

    void int64(long value) {
        room(8);
        LONG_LE.set(buffer, size, value);
        size += 8;
    }

    /** An IEEE 754 double, as its bits in little-endian order. */
    void float64(double value) {
        int64(Double.doubleToRawLongBits(value));
    }

    void varUInt(long value) {
        room(10);
        long remaining = value;
        while ((remaining & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((remaining & 0x7F) | 0x80);
            remaining >>>= 7;
        }
        buffer[size++] = (byte) remaining;
    }

    private void room(int bytes) {
        if (buffer.length - size < bytes) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + bytes));
        }
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    void writeTo(OutputStream stream) throws IOException {
        stream.write(buffer, 0, size);
    }
}
