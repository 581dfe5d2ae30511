package dev.agentwatch.embedded.clickhouse;

/**
 * The {@code X-ClickHouse-Summary} header value: the server's JSON object of counters, every value
 * a string, which client-v2 turns into its operation metrics (e.g. written rows of an insert).
 */
final class QuerySummary {

  private QuerySummary() {}

  static String json(ChdbResult result) {
    return "{"
        + field("read_rows", result.readRows())
        + ","
        + field("read_bytes", result.readBytes())
        + ","
        + field("written_rows", result.writtenRows())
        + ","
        + field("written_bytes", result.writtenBytes())
        + ","
        + field("total_rows_to_read", result.readRows())
        + ","
        + field("result_rows", result.resultRows())
        + ","
        + field("result_bytes", result.resultBytes())
        + ","
        + field("elapsed_ns", result.elapsedNanos())
        + "}";
  }

  private static String field(String name, long value) {
    return "\"" + name + "\":\"" + value + "\"";
  }
}
