package dev.agentwatch.embedded.clickhouse;

import java.nio.charset.StandardCharsets;

/**
 * The outcome of one chDB statement: its formatted output, copied out of native memory, and the
 * engine's counters.
 *
 * <p>{@code output} is not copied again: treat it as read-only (record equality is by array
 * identity).
 *
 * @param output the result in the requested output format; empty for DDL and inserts
 * @param resultRows rows in the result set
 * @param resultBytes bytes of the result set in the engine's internal representation
 * @param readRows rows read from storage
 * @param readBytes bytes read from storage
 * @param writtenRows rows written, including cascaded materialized views
 * @param writtenBytes bytes written, including cascaded materialized views
 * @param elapsedNanos engine time spent on the statement, in nanoseconds
 */
public record ChdbResult(
    byte[] output,
    long resultRows,
    long resultBytes,
    long readRows,
    long readBytes,
    long writtenRows,
    long writtenBytes,
    long elapsedNanos) {

  public ChdbResult {
    if (output == null) {
      throw new IllegalArgumentException("output must not be null; use an empty array");
    }
  }

  /** The output decoded as UTF-8, for text formats. */
  public String text() {
    return new String(output, StandardCharsets.UTF_8);
  }
}
