package dev.agentwatch.embedded.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The FFM binding against the real engine, without HTTP. */
@Timeout(60)
class ChdbIT {

  private static final String DATABASE = "chdb_it";
  private static Chdb engine;

  @BeforeAll
  static void openEngine() {
    engine = EmbeddedClickHouse.shared().engine();
    engine.query("CREATE DATABASE IF NOT EXISTS " + DATABASE, "TabSeparated");
  }

  private static void createTable(String table) {
    engine.query("DROP TABLE IF EXISTS " + DATABASE + "." + table, "TabSeparated");
    engine.query(
        "CREATE TABLE " + DATABASE + "." + table + " (" + RowBinaryRows.COLUMNS + ") ENGINE = MergeTree ORDER BY id",
        "TabSeparated");
  }

  private static long count(String table) {
    return Long.parseLong(engine.query("SELECT count() FROM " + DATABASE + "." + table, "TabSeparated").text().strip());
  }

  @Test
  void inlineInsertDataIsCutAtTheFirstBlankLineWhichIsWhyInsertsStream() {
    createTable("inline_trap");
    byte[] rows = new RowBinaryRows().add(0x0A0A, "a\n\nb", 1).add(2, "c", 2).bytes();
    byte[] head = ("INSERT INTO " + DATABASE + ".inline_trap FORMAT RowBinary ").getBytes(StandardCharsets.ISO_8859_1);
    byte[] statement = new byte[head.length + rows.length];
    System.arraycopy(head, 0, statement, 0, head.length);
    System.arraycopy(rows, 0, statement, head.length, rows.length);

    assertThatThrownBy(
            () -> engine.query(new String(statement, StandardCharsets.ISO_8859_1), "TabSeparated"))
        .isInstanceOf(ChdbQueryException.class);
    assertThat(count("inline_trap")).isZero();

    try (ChdbSession session = engine.openSession()) {
      ChdbResult result = session.insert("INSERT INTO " + DATABASE + ".inline_trap", "RowBinary", rows);
      assertThat(result.writtenRows()).isEqualTo(2);
    }
    assertThat(engine.query("SELECT text FROM " + DATABASE + ".inline_trap ORDER BY id", "JSONEachRow").text())
        .isEqualTo("{\"text\":\"c\"}\n{\"text\":\"a\\n\\nb\"}\n");
  }

  @Test
  void streamedInsertsAcceptDataLargerThanOneChunk() {
    createTable("big_stream");
    RowBinaryRows rows = new RowBinaryRows();
    for (int i = 0; i < 400_000; i++) {
      rows.add(i, "text-" + (i % 97), i * 0.5); // about 10 MB: more than one 8 MiB append
    }
    try (ChdbSession session = engine.openSession()) {
      ChdbResult result = session.insert("INSERT INTO " + DATABASE + ".big_stream", "RowBinary", rows.bytes());
      assertThat(result.writtenRows()).isEqualTo(rows.rows());
    }
    assertThat(count("big_stream")).isEqualTo(rows.rows());
  }

  @Test
  void insertErrorsCarryTheEngineCode() {
    createTable("bad_data");
    try (ChdbSession session = engine.openSession()) {
      assertThatThrownBy(
              () -> session.insert("INSERT INTO " + DATABASE + ".bad_data", "TabSeparated",
                  "1\tok\tnot-a-number\n".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOfSatisfying(ChdbQueryException.class, e -> assertThat(e.code()).isEqualTo(27));
      assertThatThrownBy(() -> session.insert("INSERT INTO " + DATABASE + ".missing", "RowBinary", new byte[0]))
          .isInstanceOfSatisfying(ChdbQueryException.class, e -> assertThat(e.code()).isEqualTo(60));
    }
  }

  @Test
  void queryErrorsCarryTheClickHouseCode() {
    assertThatThrownBy(() -> engine.query("SELEC 1", "TabSeparated"))
        .isInstanceOfSatisfying(
            ChdbQueryException.class,
            e -> {
              assertThat(e.code()).isEqualTo(62);
              assertThat(e.getMessage()).startsWith("Code: 62. DB::Exception: Syntax error");
            });
  }

  @Test
  void resultsReportTheirCounters() {
    ChdbResult result = engine.query("SELECT number FROM system.numbers LIMIT 10", "TabSeparated");
    assertThat(result.resultRows()).isEqualTo(10);
    assertThat(result.text()).startsWith("0\n1\n").endsWith("9\n");
    assertThat(result.elapsedNanos()).isPositive();
  }

  @Test
  void sessionsKeepTheirOwnDatabaseAndSettings() {
    try (ChdbSession first = engine.openSession();
        ChdbSession second = engine.openSession()) {
      first.useDatabase(DATABASE);
      first.applySettings(Map.of("max_result_rows", "7"));

      assertThat(first.query("SELECT currentDatabase(), getSetting('max_result_rows')", "TabSeparated").text())
          .isEqualTo(DATABASE + "\t7\n");
      assertThat(second.query("SELECT currentDatabase(), getSetting('max_result_rows')", "TabSeparated").text())
          .isEqualTo("default\t0\n");
    }
  }

  @Test
  void unknownSettingsAndDatabasesAreRefusedWithTheirCodes() {
    try (ChdbSession session = engine.openSession()) {
      assertThatThrownBy(() -> session.applySettings(Map.of("no_such_setting", "1")))
          .isInstanceOfSatisfying(ChdbQueryException.class, e -> assertThat(e.code()).isEqualTo(115));
      assertThatThrownBy(() -> session.applySettings(Map.of("bad name; DROP", "1")))
          .isInstanceOfSatisfying(ChdbQueryException.class, e -> assertThat(e.code()).isEqualTo(115));
      assertThatThrownBy(() -> session.useDatabase("no_such_db"))
          .isInstanceOfSatisfying(ChdbQueryException.class, e -> assertThat(e.code()).isEqualTo(81));
    }
  }

  @Test
  void queryParametersAreBoundByTheEngine() {
    try (ChdbSession session = engine.openSession()) {
      ChdbResult result =
          session.query(
              "SELECT {text:String} AS t, {n:UInt8} * 2 AS n",
              "TabSeparated",
              Map.of("text", "O'Brien", "n", "21"));
      assertThat(result.text()).isEqualTo("O\\'Brien\t42\n");
    }
  }

  @Test
  void refusesASecondDataDirectoryWhileTheEngineIsOpen(@TempDir Path otherDir) {
    Path library = EmbeddedClickHouse.shared().libraryPath();
    assertThatThrownBy(() -> Chdb.open(library, otherDir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("one engine per process");
  }

  @Test
  void aSecondInstanceOnTheSameDirectorySharesTheEngine() {
    Path library = EmbeddedClickHouse.shared().libraryPath();
    try (Chdb second = Chdb.open(library, engine.dataDir())) {
      second.query("CREATE TABLE IF NOT EXISTS " + DATABASE + ".shared (x UInt8) ENGINE = Memory", "TabSeparated");
      assertThat(engine.query("EXISTS TABLE " + DATABASE + ".shared", "TabSeparated").text()).isEqualTo("1\n");
    }
    assertThat(engine.query("SELECT 1", "TabSeparated").text()).isEqualTo("1\n");
  }

  @Test
  void closedEngineRefusesWork() throws Exception {
    Path library = EmbeddedClickHouse.shared().libraryPath();
    Chdb second = Chdb.open(library, engine.dataDir());
    second.close();
    assertThatThrownBy(() -> second.query("SELECT 1", "TabSeparated"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThat(Files.isDirectory(engine.dataDir())).isTrue();
  }
}
