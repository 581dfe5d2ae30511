package dev.agentwatch.clickhouse;

import java.util.List;

/**
 * How one kind of record becomes one row of one table, in RowBinary. The columns listed are
 * exactly those {@link #encode} writes, in order; columns left out take their defaults.
 */
public interface RowEncoder<T> {
    String table();

    List<String> columns();

    void encode(T record, RowBinaryOutput out);
}
