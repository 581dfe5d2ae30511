package dev.agentwatch.clickhouse;

import java.util.List;

/**
 * How one kind of record becomes one row of one table. The columns listed are exactly those
 * {@link #encode} writes, in order; columns left out take their defaults. The output decides the
 * format (Native or RowBinary); an encoder writes the same calls for both.
 */
public interface RowEncoder<T> {
    String table();

    List<String> columns();

    void encode(T record, RowOutput out);
}
