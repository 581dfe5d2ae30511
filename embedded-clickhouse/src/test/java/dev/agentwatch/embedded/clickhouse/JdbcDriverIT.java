package dev.agentwatch.embedded.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The unmodified jdbc-v2 driver against the embedded server. */
@Timeout(120)
class JdbcDriverIT {

  private static final String DATABASE = "jdbc_it";
  private static EmbeddedClickHouse clickHouse;

  @BeforeAll
  static void startServer() {
    clickHouse = EmbeddedClickHouse.shared();
  }

  private static Connection connect(String extraUrlParams) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "default");
    properties.setProperty("password", "");
    String url =
        "jdbc:clickhouse://127.0.0.1:" + clickHouse.httpPort() + "/default" + extraUrlParams;
    return DriverManager.getConnection(url, properties);
  }

  @Test
  void createsInsertsInBatchAndReadsBackEveryType() throws Exception {
    try (Connection connection = connect("?compress=false");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE);
      statement.execute("DROP TABLE IF EXISTS " + DATABASE + ".events");
      statement.execute(
          "CREATE TABLE "
              + DATABASE
              + ".events (id UInt64, name String, score Float64, at DateTime64(9, 'UTC'),"
              + " tags Array(String), kind LowCardinality(String), note Nullable(String))"
              + " ENGINE = MergeTree ORDER BY id");
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO " + DATABASE + ".events VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        for (int i = 1; i <= 3; i++) {
          insert.setLong(1, i);
          insert.setString(2, "name-" + i + (i == 2 ? "\n\nwith blank line" : ""));
          insert.setDouble(3, i * 1.5);
          insert.setTimestamp(
              4, Timestamp.valueOf(LocalDateTime.of(2024, 5, 6, 7, 8, 9, 123_456_789 + i)));
          insert.setArray(5, connection.createArrayOf("String", new String[] {"a" + i, "b"}));
          insert.setString(6, i % 2 == 0 ? "even" : "odd");
          if (i == 3) {
            insert.setNull(7, java.sql.Types.VARCHAR);
          } else {
            insert.setString(7, "note-" + i);
          }
          insert.addBatch();
        }
        int[] counts = insert.executeBatch();
        assertThat(counts).hasSize(3);
      }

      try (ResultSet rs =
          statement.executeQuery(
              "SELECT id, name, score, at, tags, kind, note FROM " + DATABASE + ".events ORDER BY id")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("id")).isEqualTo(1);
        assertThat(rs.getString("name")).isEqualTo("name-1");
        assertThat(rs.getDouble("score")).isEqualTo(1.5);
        assertThat(rs.getString("kind")).isEqualTo("odd");
        assertThat(rs.getString("note")).isEqualTo("note-1");
        Array tags = rs.getArray("tags");
        assertThat((Object[]) tags.getArray()).containsExactly("a1", "b");

        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("name")).isEqualTo("name-2\n\nwith blank line");
        assertThat(rs.getString("kind")).isEqualTo("even");
        assertThat(rs.getObject("at", LocalDateTime.class))
            .isEqualTo(LocalDateTime.of(2024, 5, 6, 7, 8, 9, 123_456_791));

        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("id")).isEqualTo(3);
        assertThat(rs.getString("note")).isNull();
        assertThat(rs.wasNull()).isTrue();
        assertThat(rs.next()).isFalse();
      }
    }
  }

  @Test
  void readsUnsignedAndTypedValuesThroughPreparedSelect() throws Exception {
    try (Connection connection = connect("?compress=false");
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT toUInt64(?) AS big, ? AS text, toFloat64(?) AS ratio")) {
      select.setString(1, "18446744073709551615");
      select.setString(2, "it's");
      select.setDouble(3, 0.25);
      try (ResultSet rs = select.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBigDecimal("big").toBigInteger().toString())
            .isEqualTo("18446744073709551615");
        assertThat(rs.getString("text")).isEqualTo("it's");
        assertThat(rs.getDouble("ratio")).isEqualTo(0.25);
      }
    }
  }

  @Test
  void worksWithTheDriversDefaultCompression() throws Exception {
    try (Connection connection = connect("");
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT sum(number) FROM numbers(1000)")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isEqualTo(499500);
    }
  }

  @Test
  void listsTablesAndColumnsThroughDatabaseMetaData() throws Exception {
    try (Connection connection = connect("?compress=false");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE);
      statement.execute(
          "CREATE TABLE IF NOT EXISTS " + DATABASE + ".described (a UInt32, b String) ENGINE = MergeTree ORDER BY a");
      try (ResultSet tables = connection.getMetaData().getTables(null, DATABASE, "described", null)) {
        assertThat(tables.next()).isTrue();
        assertThat(tables.getString("TABLE_NAME")).isEqualTo("described");
      }
      try (ResultSet columns = connection.getMetaData().getColumns(null, DATABASE, "described", null)) {
        assertThat(columns.next()).isTrue();
        assertThat(columns.getString("COLUMN_NAME")).isEqualTo("a");
        assertThat(columns.next()).isTrue();
        assertThat(columns.getString("COLUMN_NAME")).isEqualTo("b");
      }
    }
  }

  @Test
  void reportsEngineErrorsAsSqlExceptions() throws Exception {
    try (Connection connection = connect("?compress=false");
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM " + DATABASE + ".missing_table"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("UNKNOWN_TABLE");
    }
  }
}
