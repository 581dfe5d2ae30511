package dev.agentwatch.clickhouse;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Rows in ClickHouse's Native format: one block, column by column, each column named and typed,
 * then its values; an array or map column as each row's end offset and then all rows' entries.
 * ClickHouse parses a column of Native as one piece rather than value by value: in bench
 * {@code InsertFormatCost} an insert of 10,000 or 50,000 steps rows took chDB 20-28% less CPU as
 * Native than as RowBinary, and one of 100 or 1,000 rows about the same. Rows arrive as a
 * {@link RowEncoder} writes them, value by value; each value goes to the next column.
 * A column's type is that of its first row's value, and every row must write the same. Not
 * thread-safe: one per batch.
 */
public final class NativeOutput implements RowOutput {
    private final List<String> names;
    private final Column[] columns;
    private int next;
    private int rows;

    /** For rows of {@code columnNames}, about {@code expectedRows} of them (a sizing hint). */
    public NativeOutput(List<String> columnNames, int expectedRows) {
        this.names = List.copyOf(columnNames);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a block needs at least one column");
        }
        this.columns = new Column[names.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = new Column(Math.max(64, expectedRows * 8));
        }
    }

    /**
     * A column as written so far: its type and values; for an array or map column, each row's end
     * offset, its entries (a map's keys) and a map's values.
     */
    private static final class Column {
        private final int initialBytes;
        private final WireBuffer values;
        private String type;
        private WireBuffer offsets;
        private WireBuffer mapValues;
        private long entries;

        Column(int initialBytes) {
            this.initialBytes = initialBytes;
            this.values = new WireBuffer(initialBytes);
        }

        void endRowWith(int newEntries) {
            if (offsets == null) {
                offsets = new WireBuffer(initialBytes);
            }
            entries += newEntries;
            offsets.int64(entries);
        }

        WireBuffer mapValues() {
            if (mapValues == null) {
                mapValues = new WireBuffer(initialBytes);
            }
            return mapValues;
        }
    }

    /** The column the next value goes to, checked against the type that value has. */
    private Column column(String type) {
        Column column = columns[next];
        if (column.type == null) {
            column.type = type;
        } else if (!column.type.equals(type)) {
            throw new IllegalStateException("column " + names.get(next) + " is " + column.type + " but row " + rows
                    + " writes " + type);
        }
        if (++next == columns.length) {
            next = 0;
            rows++;
        }
        return column;
    }

    @Override
    public NativeOutput string(String value) {
        column("String").values.string(value);
        return this;
    }

    @Override
    public NativeOutput uint8(int value) {
        column("UInt8").values.uint8(value);
        return this;
    }

    @Override
    public NativeOutput bool(boolean value) {
        column("Bool").values.uint8(value ? 1 : 0);
        return this;
    }

    @Override
    public NativeOutput uint32(long value) {
        column("UInt32").values.int32((int) value);
        return this;
    }

    @Override
    public NativeOutput int64(long value) {
        column("Int64").values.int64(value);
        return this;
    }

    @Override
    public NativeOutput float64(double value) {
        column("Float64").values.float64(value);
        return this;
    }

    @Override
    public NativeOutput dateTime64Nanos(long epochNanos) {
        column("DateTime64(9, 'UTC')").values.int64(epochNanos);
        return this;
    }

    @Override
    public NativeOutput dateTime64Millis(long epochMillis) {
        column("DateTime64(3, 'UTC')").values.int64(epochMillis);
        return this;
    }

    @Override
    public NativeOutput dateTimeSeconds(long epochSeconds) {
        column("DateTime('UTC')").values.int32((int) epochSeconds);
        return this;
    }

    @Override
    public NativeOutput stringArray(List<String> values) {
        Column column = column("Array(String)");
        values.forEach(column.values::string);
        column.endRowWith(values.size());
        return this;
    }

    @Override
    public NativeOutput float64Array(List<Double> values) {
        Column column = column("Array(Float64)");
        values.forEach(column.values::float64);
        column.endRowWith(values.size());
        return this;
    }

    @Override
    public NativeOutput int64Array(List<Long> values) {
        Column column = column("Array(Int64)");
        values.forEach(column.values::int64);
        column.endRowWith(values.size());
        return this;
    }

    @Override
    public NativeOutput stringMap(Map<String, String> values) {
        Column column = column("Map(String, String)");
        WireBuffer mapValues = column.mapValues();
        values.forEach((key, value) -> {
            column.values.string(key);
            mapValues.string(value);
        });
        column.endRowWith(values.size());
        return this;
    }

    /** The complete rows written so far. */
    public int rows() {
        return rows;
    }

    /**
     * Writes the block: column and row counts, then each column's name, type and data. Every row
     * must be complete.
     */
    public void writeTo(OutputStream stream) throws IOException {
        if (next != 0) {
            throw new IllegalStateException("row " + rows + " is incomplete: it has " + next + " of " + columns.length
                    + " columns");
        }
        if (rows == 0) {
            throw new IllegalStateException("a block needs at least one row");
        }
        WireBuffer header = new WireBuffer(16);
        header.varUInt(columns.length);
        header.varUInt(rows);
        header.writeTo(stream);
        for (int i = 0; i < columns.length; i++) {
            Column column = columns[i];
            WireBuffer nameAndType = new WireBuffer(64);
            nameAndType.string(names.get(i));
            nameAndType.string(column.type);
            nameAndType.writeTo(stream);
            if (column.offsets != null) {
                column.offsets.writeTo(stream);
            }
            column.values.writeTo(stream);
            if (column.mapValues != null) {
                column.mapValues.writeTo(stream);
            }
        }
    }
}
