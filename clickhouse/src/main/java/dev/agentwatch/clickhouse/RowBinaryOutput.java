package dev.agentwatch.clickhouse;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Encodes values in ClickHouse's RowBinary format (little-endian numbers, LEB128 lengths).
 * {@code LowCardinality(String)} is written as a plain String, as the format requires.
 * Not thread-safe: one per batch. A plain growing array rather than a ByteArrayOutputStream,
 * whose every write takes a lock: a sink writes a few dozen small values per row.
 */
public final class RowBinaryOutput {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] buffer;
    private int size;

    public RowBinaryOutput(int initialBytes) {
        this.buffer = new byte[Math.max(16, initialBytes)];
    }

    public RowBinaryOutput string(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        varUInt(bytes.length);
        room(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
        return this;
    }

    public RowBinaryOutput uint8(int value) {
        room(1);
        buffer[size++] = (byte) value;
        return this;
    }

    public RowBinaryOutput bool(boolean value) {
        return uint8(value ? 1 : 0);
    }

    public RowBinaryOutput uint32(long value) {
        room(4);
        INT_LE.set(buffer, size, (int) value);
        size += 4;
        return this;
    }

    /** UInt64 and Int64 share the same bytes. */
    public RowBinaryOutput int64(long value) {
        room(8);
        LONG_LE.set(buffer, size, value);
        size += 8;
        return this;
    }

    public RowBinaryOutput float64(double value) {
        return int64(Double.doubleToRawLongBits(value));
    }

    /** {@code DateTime64(9)}: nanoseconds since the epoch as Int64. */
    public RowBinaryOutput dateTime64Nanos(long epochNanos) {
        return int64(epochNanos);
    }

    /** {@code DateTime64(3)}: milliseconds since the epoch as Int64. */
    public RowBinaryOutput dateTime64Millis(long epochMillis) {
        return int64(epochMillis);
    }

    public RowBinaryOutput stringArray(List<String> values) {
        varUInt(values.size());
        values.forEach(this::string);
        return this;
    }

    public RowBinaryOutput float64Array(List<Double> values) {
        varUInt(values.size());
        values.forEach(this::float64);
        return this;
    }

    /** {@code Array(UInt64)} or {@code Array(Int64)}. */
    public RowBinaryOutput int64Array(List<Long> values) {
        varUInt(values.size());
        values.forEach(this::int64);
        return this;
    }

    /** {@code DateTime}: seconds since the epoch as UInt32. */
    public RowBinaryOutput dateTimeSeconds(long epochSeconds) {
        return uint32(epochSeconds);
    }

    /** {@code Map(String, String)}: entry count, then key and value of each entry. */
    public RowBinaryOutput stringMap(Map<String, String> values) {
        varUInt(values.size());
        values.forEach((key, value) -> {
            string(key);
            string(value);
        });
        return this;
    }

    private void varUInt(long value) {
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

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    /** Writes the encoded rows to {@code stream} without copying them first. */
    public void writeTo(OutputStream stream) throws IOException {
        stream.write(buffer, 0, size);
    }
}
