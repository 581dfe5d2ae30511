package dev.agentwatch.clickhouse;

import java.util.List;
import java.util.Map;

/**
 * One row's values, as a {@link RowEncoder} writes them: each call writes the next column, in the
 * order of {@link RowEncoder#columns()}. Each method names the ClickHouse type it writes; a table
 * column of a close type takes it as ClickHouse converts on insert ({@code LowCardinality(String)}
 * from String, {@code UInt64} from Int64, {@code Int32} from UInt32). RowBinary carries no types,
 * so the bytes are simply the same; Native declares them, and the server casts
 * ({@code input_format_native_allow_types_conversion}, on by default since ClickHouse 23.3).
 */
public interface RowOutput {
    /** {@code String}. */
    RowOutput string(String value);

    /** {@code UInt8}. */
    RowOutput uint8(int value);

    /** {@code Bool}. */
    RowOutput bool(boolean value);

    /** {@code UInt32}. */
    RowOutput uint32(long value);

    /** {@code Int64} (the same bytes as {@code UInt64}). */
    RowOutput int64(long value);

    /** {@code Float64}. */
    RowOutput float64(double value);

    /** {@code DateTime64(9, 'UTC')}: nanoseconds since the epoch. */
    RowOutput dateTime64Nanos(long epochNanos);

    /** {@code DateTime64(3, 'UTC')}: milliseconds since the epoch. */
    RowOutput dateTime64Millis(long epochMillis);

    /** {@code DateTime('UTC')}: seconds since the epoch. */
    RowOutput dateTimeSeconds(long epochSeconds);

    /** {@code Array(String)}. */
    RowOutput stringArray(List<String> values);

    /** {@code Array(Float64)}. */
    RowOutput float64Array(List<Double> values);

    /** {@code Array(Int64)} (the same bytes as {@code Array(UInt64)}). */
    RowOutput int64Array(List<Long> values);

    /** {@code Map(String, String)}. */
    RowOutput stringMap(Map<String, String> values);
}
