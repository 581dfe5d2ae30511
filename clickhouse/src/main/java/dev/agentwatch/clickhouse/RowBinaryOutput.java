package dev.agentwatch.clickhouse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Encodes values in ClickHouse's RowBinary format (little-endian numbers, LEB128 lengths).
 * {@code LowCardinality(String)} is written as a plain String, as the format requires.
 * Not thread-safe: one per batch.
 */
public final class RowBinaryOutput {
    private final ByteArrayOutputStream out;

    public RowBinaryOutput(int initialBytes) {
        this.out = new ByteArrayOutputStream(initialBytes);
    }

    public RowBinaryOutput string(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        varUInt(bytes.length);
        out.writeBytes(bytes);
        return this;
    }

    public RowBinaryOutput uint8(int value) {
        out.write(value & 0xFF);
        return this;
    }

    public RowBinaryOutput bool(boolean value) {
        return uint8(value ? 1 : 0);
    }

    public RowBinaryOutput uint32(long value) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (value >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    /** UInt64 and Int64 share the same bytes. */
    public RowBinaryOutput int64(long value) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (value >>> (8 * i)) & 0xFF);
        }
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
        long remaining = value;
        while ((remaining & ~0x7FL) != 0) {
            out.write((int) ((remaining & 0x7F) | 0x80));
            remaining >>>= 7;
        }
        out.write((int) remaining);
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
