package dev.agentwatch.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes batches of records to one table in RowBinary through client-v2. A failed batch throws
 * {@link ClickHouseWriteException}; the caller keeps the batch and retries (the tables are
 * ReplacingMergeTree, so a batch written twice reads once with FINAL). Thread-safe if the
 * client is.
 */
public final class ClickHouseBatchWriter<T> {
    private final Client client;
    private final RowEncoder<T> encoder;

    public ClickHouseBatchWriter(Client client, RowEncoder<T> encoder) {
        this.client = client;
        this.encoder = encoder;
    }

    /** Encodes and inserts {@code records}; returns the rows ClickHouse reported written. */
    public long write(List<T> records) {
        if (records.isEmpty()) {
            return 0;
        }
        RowBinaryOutput out = new RowBinaryOutput(records.size() * 256);
        for (T record : records) {
            encoder.encode(record, out);
        }
        try (InsertResponse response = client.insert(encoder.table(), encoder.columns(),
                        out::writeTo, ClickHouseFormat.RowBinary, new InsertSettings())
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

    public String table() {
        return encoder.table();
    }
}
