package dev.agentwatch.detectors.it;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import dev.agentwatch.clickhouse.ClickHouseClients;
import dev.agentwatch.clickhouse.ClickHouseConfig;
import java.time.Duration;
import java.util.List;

/** Reads what the sinks wrote, polling with a deadline. */
final class ClickHouseProbe implements AutoCloseable {
    private final Client client;

    ClickHouseProbe(ClickHouseConfig config) {
        this.client = ClickHouseClients.create(config);
    }

    List<GenericRecord> rows(String sql) {
        return client.queryAll(sql);
    }

    long count(String sql) {
        return rows(sql).getFirst().getLong(1);
    }

    /** Waits until {@code countSql} reaches {@code expected}, then checks it is exactly that. */
    long awaitCount(String countSql, long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            last = count(countSql);
            if (last >= expected) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("expected " + expected + " from [" + countSql + "] within " + timeout + ", last saw " + last);
    }

    @Override
    public void close() {
        client.close();
    }
}
