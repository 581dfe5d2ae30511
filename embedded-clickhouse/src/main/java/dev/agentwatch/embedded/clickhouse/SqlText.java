package dev.agentwatch.embedded.clickhouse;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Just enough of ClickHouse's SQL lexis to quote names and values, to find a statement's output
 * FORMAT clause, and to split an INSERT from the data that follows it.
 *
 * <p>Works on bytes so that binary insert data after the statement is never decoded. Strings,
 * quoted identifiers, comments and parentheses are skipped, so a keyword inside them never counts.
 * Pure and thread-safe.
 */
final class SqlText {

  private SqlText() {}

  /** How a statement text splits. */
  sealed interface Split {}

  /** Not an INSERT with data: run the whole text as one statement. */
  record Plain() implements Split {}

  /**
   * An INSERT whose text ended before its FORMAT or VALUES clause: the rest may follow in more
   * text.
   */
  record IncompleteInsert() implements Split {}

  /**
   * An INSERT with a data clause.
   *
   * @param head the statement up to (excluding) {@code FORMAT name} or {@code VALUES}
   * @param format the input format; {@code Values} for a VALUES clause
   * @param dataOffset the byte offset in the text where the data starts
   */
  record DataInsert(String head, String format, int dataOffset) implements Split {}

  /** Quotes a name as a ClickHouse identifier: {@code my db} becomes {@code `my db`}. */
  static String quoteIdentifier(String name) {
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
  }

  /** Quotes a value as a ClickHouse string literal. */
  static String quoteString(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /**
   * Splits {@code text} (UTF-8) the way the ClickHouse server does: for {@code INSERT ... FORMAT
   * Name} the data starts after the first newline following the name (or after the spaces when
   * there is none); for {@code INSERT ... VALUES} it starts right after the keyword.
   */
  static Split split(byte[] text) {
    Lexer lexer = new Lexer(text);
    Token first = lexer.next();
    if (first == null || !first.isWord(text, "INSERT")) {
      return new Plain();
    }
    int depth = 0;
    for (Token token = lexer.next(); token != null; token = lexer.next()) {
      if (token.kind == Kind.PUNCT) {
        byte c = text[token.start];
        if (c == '(' || c == '[') {
          depth++;
        } else if (c == ')' || c == ']') {
          depth--;
        }
        continue;
      }
      if (depth != 0 || token.kind != Kind.WORD) {
        continue;
      }
      if (token.isWord(text, "SELECT") || token.isWord(text, "WITH") || token.isWord(text, "INFILE")) {
        return new Plain();
      }
      if (token.isWord(text, "VALUES")) {
        return new DataInsert(head(text, token.start), "Values", token.end);
      }
      if (token.isWord(text, "FORMAT")) {
        Token name = lexer.next();
        if (name == null || (name.kind != Kind.WORD && name.kind != Kind.QUOTED_IDENTIFIER)) {
          return new IncompleteInsert();
        }
        String format = name.unquotedText(text);
        return new DataInsert(head(text, token.start), format, dataStart(text, name.end));
      }
    }
    return new IncompleteInsert();
  }

  /** The format named by the last top-level {@code FORMAT name} clause of a query, if any. */
  static Optional<String> formatClause(String sql) {
    byte[] text = sql.getBytes(StandardCharsets.UTF_8);
    Lexer lexer = new Lexer(text);
    String format = null;
    int depth = 0;
    Token previous = null;
    for (Token token = lexer.next(); token != null; previous = token, token = lexer.next()) {
      if (token.kind == Kind.PUNCT) {
        byte c = text[token.start];
        if (c == '(' || c == '[') {
          depth++;
        } else if (c == ')' || c == ']') {
          depth--;
        } else if (c == ';') {
          format = null; // a later statement's output is what the caller sees
        }
      } else if (depth == 0
          && previous != null
          && previous.kind == Kind.WORD
          && previous.isWord(text, "FORMAT")
          && (token.kind == Kind.WORD || token.kind == Kind.QUOTED_IDENTIFIER)) {
        format = token.unquotedText(text);
      }
    }
    return Optional.ofNullable(format);
  }

  private static String head(byte[] text, int end) {
    return new String(text, 0, end, StandardCharsets.UTF_8).strip();
  }

  private static int dataStart(byte[] text, int afterFormatName) {
    int pos = afterFormatName;
    while (pos < text.length && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\f')) {
      pos++;
    }
    if (pos < text.length && text[pos] == '\r') {
      pos++;
    }
    if (pos < text.length && text[pos] == '\n') {
      pos++;
    }
    return pos;
  }

  private enum Kind {
    WORD,
    QUOTED_IDENTIFIER,
    STRING,
    PUNCT
  }

  private record Token(Kind kind, int start, int end) {
    boolean isWord(byte[] text, String word) {
      if (kind != Kind.WORD || end - start != word.length()) {
        return false;
      }
      for (int i = 0; i < word.length(); i++) {
        if (Character.toUpperCase((char) text[start + i]) != word.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    String unquotedText(byte[] text) {
      if (kind == Kind.QUOTED_IDENTIFIER) {
        return new String(text, start + 1, end - start - 2, StandardCharsets.UTF_8);
      }
      return new String(text, start, end - start, StandardCharsets.UTF_8);
    }
  }

  private static final class Lexer {
    private final byte[] text;
    private int pos;

    Lexer(byte[] text) {
      this.text = text;
    }

    /** The next token, or null at the end; whitespace and comments are skipped. */
    Token next() {
      skipWhitespaceAndComments();
      if (pos >= text.length) {
        return null;
      }
      int start = pos;
      byte c = text[pos];
      if (c == '\'' || c == '"' || c == '`') {
        pos = closingQuote(c, pos + 1);
        return new Token(c == '\'' ? Kind.STRING : Kind.QUOTED_IDENTIFIER, start, pos);
      }
      if (isWordByte(c)) {
        while (pos < text.length && isWordByte(text[pos])) {
          pos++;
        }
        return new Token(Kind.WORD, start, pos);
      }
      pos++;
      return new Token(Kind.PUNCT, start, pos);
    }

    private int closingQuote(byte quote, int from) {
      int i = from;
      while (i < text.length) {
        byte c = text[i];
        if (c == '\\') {
          i += 2;
        } else if (c == quote) {
          if (i + 1 < text.length && text[i + 1] == quote) {
            i += 2; // doubled quote inside the literal
          } else {
            return i + 1;
          }
        } else {
          i++;
        }
      }
      return text.length;
    }

    private void skipWhitespaceAndComments() {
      while (pos < text.length) {
        byte c = text[pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
          pos++;
        } else if (c == '-' && pos + 1 < text.length && text[pos + 1] == '-') {
          skipToLineEnd();
        } else if (c == '#' && pos + 1 < text.length && (text[pos + 1] == ' ' || text[pos + 1] == '!')) {
          skipToLineEnd();
        } else if (c == '/' && pos + 1 < text.length && text[pos + 1] == '*') {
          skipBlockComment();
        } else {
          return;
        }
      }
    }

    private void skipToLineEnd() {
      while (pos < text.length && text[pos] != '\n') {
        pos++;
      }
    }

    private void skipBlockComment() {
      int nesting = 0;
      while (pos < text.length) {
        if (text[pos] == '/' && pos + 1 < text.length && text[pos + 1] == '*') {
          nesting++;
          pos += 2;
        } else if (text[pos] == '*' && pos + 1 < text.length && text[pos + 1] == '/') {
          nesting--;
          pos += 2;
          if (nesting == 0) {
            return;
          }
        } else {
          pos++;
        }
      }
    }

    private static boolean isWordByte(byte c) {
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '$'
          || c < 0; // UTF-8 continuation and lead bytes: part of an unquoted name
    }
  }
}
