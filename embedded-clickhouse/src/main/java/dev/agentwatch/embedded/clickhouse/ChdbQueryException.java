package dev.agentwatch.embedded.clickhouse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement the chDB engine refused, with the ClickHouse error code taken from the engine's
 * message ({@code "Code: 62. DB::Exception: Syntax error ... (SYNTAX_ERROR)"}).
 *
 * <p>Retry decisions should use {@link #code()}, never the message text.
 */
public final class ChdbQueryException extends RuntimeException {

  /** ClickHouse's {@code UNKNOWN_EXCEPTION}, used when a message carries no code. */
  public static final int UNKNOWN_EXCEPTION = 1002;

  /** ClickHouse's {@code UNKNOWN_SETTING}. */
  public static final int UNKNOWN_SETTING = 115;

  private static final Pattern CODE = Pattern.compile("^Code: (\\d+)\\.");

  private final int code;

  /**
   * @param code the ClickHouse error code
   * @param message the full engine message, as a ClickHouse server would send it
   */
  public ChdbQueryException(int code, String message) {
    super(message);
    this.code = code;
  }

  /** Wraps an engine error message, parsing its leading {@code Code: N.}. */
  public static ChdbQueryException fromEngineMessage(String message) {
    Matcher matcher = CODE.matcher(message);
    int code = matcher.find() ? Integer.parseInt(matcher.group(1)) : UNKNOWN_EXCEPTION;
    return new ChdbQueryException(code, message);
  }

  /** Builds an exception whose message has the engine's shape, for errors found before the engine. */
  static ChdbQueryException of(int code, String name, String text) {
    return new ChdbQueryException(code, "Code: " + code + ". DB::Exception: " + text + ". (" + name + ")");
  }

  /** The ClickHouse error code, e.g. 60 for {@code UNKNOWN_TABLE}. */
  public int code() {
    return code;
  }
}
