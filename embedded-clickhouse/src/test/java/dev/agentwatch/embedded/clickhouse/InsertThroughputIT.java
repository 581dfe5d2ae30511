package dev.agentwatch.embedded.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.data.ClickHouseFormat;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Measures (prints, never asserts) RowBinary insert throughput through client-v2 and the HTTP
 * interface, and the process's resident memory. Only correctness is asserted.
 */
@Timeout(120)
class InsertThroughputIT {

  private static final int ROWS = 1_000_000;

  @Test
  void insertsAMillionRowBinaryRowsAndReportsThroughput() throws Exception {
    EmbeddedClickHouse clickHouse = EmbeddedClickHouse.shared();
    System.out.println("[measure] rss_after_open_kb=" + residentKilobytes());
    clickHouse.engine().query("CREATE DATABASE IF NOT EXISTS throughput_it", "TabSeparated");
    clickHouse.engine().query("DROP TABLE IF EXISTS throughput_it.rows", "TabSeparated");
    clickHouse.engine().query(
        "CREATE TABLE throughput_it.rows (" + RowBinaryRows.COLUMNS + ") ENGINE = MergeTree ORDER BY id",
        "TabSeparated");
    RowBinaryRows rows = new RowBinaryRows();
    for (int i = 0; i < ROWS; i++) {
      rows.add(i, "agent-" + (i % 1000), i * 0.001);
    }
    byte[] data = rows.bytes();

    try (Client client =
        new Client.Builder()
            .addEndpoint(clickHouse.httpUrl())
            .setUsername("default")
            .setPassword("")
            .compressServerResponse(false)
            .build()) {
      long startNanos = System.nanoTime();
      try (InsertResponse response =
          client
              .insert("throughput_it.rows", new ByteArrayInputStream(data), ClickHouseFormat.RowBinary)
              .get(90, TimeUnit.SECONDS)) {
        long elapsedNanos = System.nanoTime() - startNanos;
        assertThat(response.getWrittenRows()).isEqualTo(ROWS);
        System.out.printf(
            "[measure] rowbinary_insert rows=%d bytes=%d elapsed_ms=%d rows_per_s=%.0f%n",
            ROWS, data.length, elapsedNanos / 1_000_000, ROWS / (elapsedNanos / 1e9));
      }
    }
    assertThat(clickHouse.engine().query("SELECT count() FROM throughput_it.rows", "TabSeparated").text())
        .isEqualTo(ROWS + "\n");
    System.out.println("[measure] rss_after_insert_kb=" + residentKilobytes());
  }

  private static long residentKilobytes() throws Exception {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(line -> line.startsWith("VmRSS:"))
        .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
        .findFirst()
        .orElse(-1L);
  }
}
