package dev.agentwatch.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.DataStreamWriter;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes batches of records to one table through client-v2, as one Native block each (see
 * {@link NativeOutput} for why not RowBinary; {@link #rowBinary} still writes that). A failed batch
 * throws {@link ClickHouseWriteException}; the caller keeps the batch and retries (the tables are
 * ReplacingMergeTree, so a batch written twice reads once with FINAL). Thread-safe if the
 * client is.
 */
public final class ClickHouseBatchWriter<T> {
    /** ClickHouse's error code for too many parts, and for too many partitions in one insert. */
    private static final int TOO_MANY_PARTS = 252;

    private final Client client;
    private final RowEncoder<T> encoder;
    private final ClickHouseFormat format;

    /** A writer of Native blocks. */
    public ClickHouseBatchWriter(Client client, RowEncoder<T> encoder) {
        this(client, encoder, ClickHouseFormat.Native);
    }

    private ClickHouseBatchWriter(Client client, RowEncoder<T> encoder, ClickHouseFormat format) {
        this.client = client;
        this.encoder = encoder;
        this.format = format;
    }

    /** A writer of RowBinary, row by row: what the benchmarks compare the Native blocks with. */
    public static <T> ClickHouseBatchWriter<T> rowBinary(Client client, RowEncoder<T> encoder) {
        return new ClickHouseBatchWriter<>(client, encoder, ClickHouseFormat.RowBinary);
    }

    /**
     * Encodes and inserts {@code records}; returns the rows ClickHouse reported written. A batch
     * whose rows fall into more partitions than one insert may create (times come from agents'
     * clocks, and tables are partitioned by month) is written in halves, down to single rows, where
     * retrying it whole would fail forever.
     */
    public long write(List<T> records) {
        if (records.isEmpty()) {
            return 0;
        }
        try {
            return insert(records);
        } catch (ClickHouseWriteException e) {
            if (records.size() < 2 || !tooManyPartitions(e.getCause())) {
                throw e;
            }
            int half = records.size() / 2;
            return write(records.subList(0, half)) + write(records.subList(half, records.size()));
        }
    }

    private static boolean tooManyPartitions(Throwable cause) {
        return cause instanceof ServerException server && server.getCode() == TOO_MANY_PARTS
                && String.valueOf(server.getMessage()).contains("partitions for single INSERT block");
    }

    private long insert(List<T> records) {
        DataStreamWriter body = format == ClickHouseFormat.Native
                ? encoded(new NativeOutput(encoder.columns(), records.size()), records)::writeTo
                : encoded(new RowBinaryOutput(records.size() * 256), records)::writeTo;
        try (InsertResponse response = client.insert(encoder.table(), encoder.columns(), body, format,
                        new InsertSettings())
                .get(120, TimeUnit.SECONDS)) {
            return response.getWrittenRows();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseWriteException("interrupted while writing to " + encoder.table(), e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new ClickHouseWriteException("cannot write " + records.size() + " rows to " + encoder.table()
                    + ": " + cause.getMessage(), cause);
        }
    }

    /** {@code out}, with every record encoded into it. */
    private <O extends RowOutput> O encoded(O out, List<T> records) {
        for (T record : records) {
            encoder.encode(record, out);
        }
        return out;
    }

    public String table() {
        return encoder.table();
    }
}
