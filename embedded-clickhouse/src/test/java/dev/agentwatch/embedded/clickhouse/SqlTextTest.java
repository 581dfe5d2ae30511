package dev.agentwatch.embedded.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SqlTextTest {

  private static SqlText.Split split(String text) {
    return SqlText.split(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void formatInsertDataStartsAfterTheFirstNewline() {
    String text = "INSERT INTO db.t (a, b) SETTINGS async_insert = 0 FORMAT RowBinary\n\n\nrest";
    SqlText.DataInsert insert = (SqlText.DataInsert) split(text);

    assertThat(insert.head()).isEqualTo("INSERT INTO db.t (a, b) SETTINGS async_insert = 0");
    assertThat(insert.format()).isEqualTo("RowBinary");
    assertThat(text.substring(insert.dataOffset())).isEqualTo("\n\nrest");
  }

  @Test
  void formatInsertDataOnTheSameLineStartsAfterTheSpaces() {
    String text = "insert into t format JSONEachRow   {\"a\":1}";
    SqlText.DataInsert insert = (SqlText.DataInsert) split(text);

    assertThat(insert.format()).isEqualTo("JSONEachRow");
    assertThat(text.substring(insert.dataOffset())).isEqualTo("{\"a\":1}");
  }

  @Test
  void valuesInsertDataStartsRightAfterTheKeyword() {
    String text = "INSERT INTO t VALUES ('FORMAT x', 1), ('\\n\\n', 2)";
    SqlText.DataInsert insert = (SqlText.DataInsert) split(text);

    assertThat(insert.head()).isEqualTo("INSERT INTO t");
    assertThat(insert.format()).isEqualTo("Values");
    assertThat(text.substring(insert.dataOffset())).isEqualTo(" ('FORMAT x', 1), ('\\n\\n', 2)");
  }

  @Test
  void keywordsInsideStringsCommentsAndParenthesesDoNotCount() {
    String text =
        "INSERT /* FORMAT CSV */ INTO t -- VALUES\n (`format`, \"values\") SETTINGS x = 'FORMAT' FORMAT TSV\n1";
    SqlText.DataInsert insert = (SqlText.DataInsert) split(text);

    assertThat(insert.format()).isEqualTo("TSV");
    assertThat(text.substring(insert.dataOffset())).isEqualTo("1");
  }

  @Test
  void insertSelectAndInfileRunAsPlainStatements() {
    assertThat(split("INSERT INTO t SELECT * FROM s FORMAT Null")).isInstanceOf(SqlText.Plain.class);
    assertThat(split("INSERT INTO t WITH 1 AS x SELECT x")).isInstanceOf(SqlText.Plain.class);
    assertThat(split("INSERT INTO t FROM INFILE 'f' FORMAT CSV")).isInstanceOf(SqlText.Plain.class);
  }

  @Test
  void otherStatementsArePlain() {
    assertThat(split("SELECT 1 FORMAT JSON")).isInstanceOf(SqlText.Plain.class);
    assertThat(split("  -- comment\n CREATE TABLE t (x UInt8) ENGINE = Memory")).isInstanceOf(SqlText.Plain.class);
    assertThat(split("")).isInstanceOf(SqlText.Plain.class);
  }

  @Test
  void insertWithoutDataClauseIsIncomplete() {
    assertThat(split("INSERT INTO t (a, b)")).isInstanceOf(SqlText.IncompleteInsert.class);
    assertThat(split("INSERT INTO t FORMAT")).isInstanceOf(SqlText.IncompleteInsert.class);
  }

  @Test
  void findsTheOutputFormatClause() {
    assertThat(SqlText.formatClause("SELECT 1 FORMAT JSONEachRow")).hasValue("JSONEachRow");
    assertThat(SqlText.formatClause("SELECT 1 format CSV SETTINGS max_threads = 1")).hasValue("CSV");
    assertThat(SqlText.formatClause("SELECT format('{}', 'FORMAT JSON') FROM (SELECT 1 FORMAT TSV)")).isEmpty();
    assertThat(SqlText.formatClause("SELECT 1 FORMAT `Pretty`")).hasValue("Pretty");
    assertThat(SqlText.formatClause("SELECT 1 FORMAT JSON; SELECT 2")).isEmpty();
    assertThat(SqlText.formatClause("SELECT 1")).isEmpty();
  }

  @Test
  void quotesIdentifiersAndStrings() {
    assertThat(SqlText.quoteIdentifier("my`db")).isEqualTo("`my\\`db`");
    assertThat(SqlText.quoteString("it's \\ fine")).isEqualTo("'it\\'s \\\\ fine'");
  }
}
