package dev.agentwatch.embedded.clickhouse;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One chDB connection, i.e. one ClickHouse session: the current database and settings set here
 * last until {@link #close()} and are invisible to other sessions.
 *
 * <p>Thread-safe (calls are serialised engine-wide by {@link Chdb}), but a session models one
 * client's conversation, so sharing one between threads rarely makes sense.
 */
public final class ChdbSession implements AutoCloseable {

  private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Chdb engine;
  private final MemorySegment connectionHandle;

  ChdbSession(Chdb engine, MemorySegment connectionHandle) {
    this.engine = engine;
    this.connectionHandle = connectionHandle;
  }

  /**
   * Makes {@code database} the session's current database.
   *
   * @throws ChdbQueryException code 81 ({@code UNKNOWN_DATABASE}) if it does not exist
   */
  public void useDatabase(String database) {
    query("USE " + SqlText.quoteIdentifier(database), "TabSeparated");
  }

  /**
   * Sets ClickHouse settings for the rest of the session; values are passed as strings, which the
   * engine parses for the setting's type.
   *
   * @throws ChdbQueryException code 115 ({@code UNKNOWN_SETTING}) for a name the engine does not
   *     know, or the engine's code for a value it cannot parse
   */
  public void applySettings(Map<String, String> settings) {
    if (settings.isEmpty()) {
      return;
    }
    for (String name : settings.keySet()) {
      if (!SETTING_NAME.matcher(name).matches()) {
        throw ChdbQueryException.of(
            ChdbQueryException.UNKNOWN_SETTING, "UNKNOWN_SETTING", "Unknown setting '" + name + "'");
      }
    }
    String assignments =
        settings.entrySet().stream()
            .map(e -> e.getKey() + " = " + SqlText.quoteString(e.getValue()))
            .collect(Collectors.joining(", "));
    query("SET " + assignments, "TabSeparated");
  }

  /**
   * Runs one statement. Never pass inline INSERT data here (chDB cuts it at the first blank line):
   * use {@link #insert}.
   *
   * @param format the default output format; a FORMAT clause in {@code sql} wins
   * @throws ChdbQueryException if the engine refuses the statement
   */
  public ChdbResult query(String sql, String format) {
    return engine.query(connectionHandle, sql, format, Map.of());
  }

  /**
   * Runs one statement with {@code {name:Type}} query parameters bound by the engine (values are
   * never spliced into the SQL text).
   */
  public ChdbResult query(String sql, String format, Map<String, String> parameters) {
    return engine.query(connectionHandle, sql, format, parameters);
  }

  /**
   * Streams insert data into the engine through chDB's streaming-insert API, so binary data
   * (which may contain blank lines) is never parsed as SQL text.
   *
   * @param insertHead the statement without FORMAT clause or data, e.g. {@code INSERT INTO t (a, b)
   *     SETTINGS async_insert = 0}
   * @param format the input format of {@code data}, e.g. {@code RowBinary} or {@code Values}
   * @param data the encoded rows, in order; buffers are read, not consumed
   * @return the engine's counters; {@link ChdbResult#writtenRows()} counts the rows inserted
   */
  public ChdbResult insert(String insertHead, String format, List<ByteBuffer> data) {
    return engine.insert(connectionHandle, insertHead, format, data);
  }

  /** As {@link #insert(String, String, List)} for data held in one array. */
  public ChdbResult insert(String insertHead, String format, byte[] data) {
    return insert(insertHead, format, List.of(ByteBuffer.wrap(data)));
  }

  /** Closes the connection; the session's temporary tables and settings are gone. Idempotent. */
  @Override
  public void close() {
    engine.closeSession(this, connectionHandle);
  }
}
