package dev.agentwatch.embedded.clickhouse;

import java.nio.file.Path;

/**
 * Runs in a child JVM for {@link PersistenceIT}, since chDB allows one data directory per process
 * and the test JVM's engine is the shared one. Arguments: the data directory, then {@code write}
 * (write, close, reopen in this process, check, write more) or {@code read} (print the count).
 * Prints {@code count=N}.
 */
public final class PersistenceProbe {

  private PersistenceProbe() {}

  public static void main(String[] args) {
    Path dataDir = Path.of(args[0]);
    EmbeddedClickHouseConfig config = EmbeddedClickHouseConfig.defaults(dataDir).withHttpPort(0);
    if (args[1].equals("write")) {
      long openNanos = System.nanoTime();
      try (EmbeddedClickHouse first = EmbeddedClickHouse.start(config)) {
        System.out.println("start_ms=" + (System.nanoTime() - openNanos) / 1_000_000);
        System.out.println("rss_kb_after_start=" + residentKilobytes());
        first.engine().query("CREATE DATABASE IF NOT EXISTS persisted", "TabSeparated");
        first.engine().query(
            "CREATE TABLE IF NOT EXISTS persisted.t (n UInt64) ENGINE = MergeTree ORDER BY n", "TabSeparated");
        try (ChdbSession session = first.engine().openSession()) {
          session.insert("INSERT INTO persisted.t", "TabSeparated", "1\n2\n3\n".getBytes());
        }
      }
      long startNanos = System.nanoTime();
      try (EmbeddedClickHouse reopened = EmbeddedClickHouse.start(config)) {
        System.out.println("reopen_ms=" + (System.nanoTime() - startNanos) / 1_000_000);
        System.out.println("count_after_reopen=" + count(reopened));
        try (ChdbSession session = reopened.engine().openSession()) {
          session.insert("INSERT INTO persisted.t", "TabSeparated", "4\n".getBytes());
        }
      }
    }
    try (EmbeddedClickHouse last = EmbeddedClickHouse.start(config)) {
      System.out.println("count=" + count(last));
    }
  }

  private static long residentKilobytes() {
    try {
      return java.nio.file.Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(line -> line.startsWith("VmRSS:"))
          .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
          .findFirst()
          .orElse(-1L);
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private static String count(EmbeddedClickHouse clickHouse) {
    return clickHouse.engine().query("SELECT count() FROM persisted.t", "TabSeparated").text().strip();
  }
}
