package dev.agentwatch.clickhouse;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Rows in ClickHouse's RowBinary format: each row's values in column order, arrays and maps as
 * an entry count and then their entries. Not thread-safe: one per batch.
 */
public final class RowBinaryOutput implements RowOutput {
    private final WireBuffer bytes;

    public RowBinaryOutput(int initialBytes) {
        this.bytes = new WireBuffer(initialBytes);
    }

    @Override
    public RowBinaryOutput string(String value) {
        bytes.string(value);
        return this;
    }

    @Override
    public RowBinaryOutput uint8(int value) {
        bytes.uint8(value);
        return this;
    }

    @Override
    public RowBinaryOutput bool(boolean value) {
        return uint8(value ? 1 : 0);
    }

    @Override
    public RowBinaryOutput uint32(long value) {
        bytes.int32((int) value);
        return this;
    }

    @Override
    public RowBinaryOutput int64(long value) {
        bytes.int64(value);
        return this;
    }

    @Override
    public RowBinaryOutput float64(double value) {
        bytes.float64(value);
        return this;
    }

    @Override
    public RowBinaryOutput dateTime64Nanos(long epochNanos) {
        return int64(epochNanos);
    }

    @Override
    public RowBinaryOutput dateTime64Millis(long epochMillis) {
        return int64(epochMillis);
    }

    @Override
    public RowBinaryOutput dateTimeSeconds(long epochSeconds) {
        return uint32(epochSeconds);
    }

    @Override
    public RowBinaryOutput stringArray(List<String> values) {
        bytes.varUInt(values.size());
        values.forEach(bytes::string);
        return this;
    }

    @Override
    public RowBinaryOutput float64Array(List<Double> values) {
        bytes.varUInt(values.size());
        values.forEach(bytes::float64);
        return this;
    }

    @Override
    public RowBinaryOutput int64Array(List<Long> values) {
        bytes.varUInt(values.size());
        values.forEach(bytes::int64);
        return this;
    }

    @Override
    public RowBinaryOutput stringMap(Map<String, String> values) {
        bytes.varUInt(values.size());
        values.forEach((key, value) -> {
            bytes.string(key);
            bytes.string(value);
        });
        return this;
    }

    public int size() {
        return bytes.size();
    }

    public byte[] toByteArray() {
        return bytes.toByteArray();
    }

    /** Writes the encoded rows to {@code stream} without copying them first. */
    public void writeTo(OutputStream stream) throws IOException {
        bytes.writeTo(stream);
    }
}
