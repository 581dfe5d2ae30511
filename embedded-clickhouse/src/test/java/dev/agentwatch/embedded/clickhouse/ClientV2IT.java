package dev.agentwatch.embedded.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The unmodified client-v2 against the embedded server. */
@Timeout(120)
class ClientV2IT {

  private static final String DATABASE = "client_v2_it";
  private static final double TWO_NEWLINES_DOUBLE = Double.longBitsToDouble(0x0A0A0A0A0A0A0A0AL);
  private static EmbeddedClickHouse clickHouse;

  @BeforeAll
  static void createDatabase() {
    clickHouse = EmbeddedClickHouse.shared();
    clickHouse.engine().query("CREATE DATABASE IF NOT EXISTS " + DATABASE, "TabSeparated");
  }

  private static Client client(boolean nativeCompression) {
    return new Client.Builder()
        .addEndpoint(clickHouse.httpUrl())
        .setUsername("default")
        .setPassword("")
        .setDefaultDatabase(DATABASE)
        .compressServerResponse(nativeCompression)
        .compressClientRequest(nativeCompression)
        .build();
  }

  private static void createTable(Client client, String table) throws Exception {
    client.query("DROP TABLE IF EXISTS " + table).get(30, TimeUnit.SECONDS).close();
    client
        .query("CREATE TABLE " + table + " (" + RowBinaryRows.COLUMNS + ") ENGINE = MergeTree ORDER BY id")
        .get(30, TimeUnit.SECONDS)
        .close();
  }

  private static RowBinaryRows rowsFullOfBlankLines() {
    RowBinaryRows rows = new RowBinaryRows();
    rows.add(0x0A0A, "a\n\nb", TWO_NEWLINES_DOUBLE); // id bytes 0A 0A, then a blank line in text
    rows.add(2, "\n\n", 2.5);
    rows.add(0x0A0A0A0A0A0AL, "", TWO_NEWLINES_DOUBLE);
    for (int i = 0; i < 1000; i++) {
      rows.add(1_000_000 + i, "row\n\n" + i + "\n\n", i);
    }
    return rows;
  }

  @Test
  void insertsRowBinaryContainingBlankLinesIntact() throws Exception {
    assertInsertKeepsEveryRow(false, "blank_lines_plain");
  }

  @Test
  void insertsRowBinaryContainingBlankLinesIntactWithLz4Compression() throws Exception {
    assertInsertKeepsEveryRow(true, "blank_lines_lz4");
  }

  private static void assertInsertKeepsEveryRow(boolean compression, String table) throws Exception {
    try (Client client = client(compression)) {
      createTable(client, table);
      RowBinaryRows rows = rowsFullOfBlankLines();
      try (InsertResponse response =
          client
              .insert(table, new ByteArrayInputStream(rows.bytes()), ClickHouseFormat.RowBinary)
              .get(30, TimeUnit.SECONDS)) {
        assertThat(response.getWrittenRows()).isEqualTo(rows.rows());
      }

      List<GenericRecord> records = client.queryAll("SELECT id, text, value FROM " + table + " ORDER BY id");
      assertThat(records).hasSize(rows.rows());
      assertThat(records.get(0).getLong("id")).isEqualTo(2);
      assertThat(records.get(0).getString("text")).isEqualTo("\n\n");
      assertThat(records.get(1).getLong("id")).isEqualTo(0x0A0A);
      assertThat(records.get(1).getString("text")).isEqualTo("a\n\nb");
      assertThat(records.get(1).getDouble("value")).isEqualTo(TWO_NEWLINES_DOUBLE);
      assertThat(records.get(2).getString("text")).isEqualTo("row\n\n0\n\n");
      assertThat(records.getLast().getLong("id")).isEqualTo(0x0A0A0A0A0A0AL);
      List<GenericRecord> total =
          client.queryAll("SELECT count() AS n, sum(length(text)) AS chars FROM " + table);
      assertThat(total.getFirst().getLong("n")).isEqualTo(rows.rows());
    }
  }

  /** A POJO the client serialises to RowBinary by the table schema. */
  public static final class Event {
    private long id;
    private String text;
    private double value;

    public Event() {}

    Event(long id, String text, double value) {
      this.id = id;
      this.text = text;
      this.value = value;
    }

    public long getId() {
      return id;
    }

    public void setId(long id) {
      this.id = id;
    }

    public String getText() {
      return text;
    }

    public void setText(String text) {
      this.text = text;
    }

    public double getValue() {
      return value;
    }

    public void setValue(double value) {
      this.value = value;
    }
  }

  @Test
  void insertsPojosUsingTheTableSchemaTheServerDescribes() throws Exception {
    try (Client client = client(true)) {
      createTable(client, "pojos");
      client.register(Event.class, client.getTableSchema("pojos"));
      List<Event> events =
          List.of(new Event(0x0A0A, "x\n\ny", TWO_NEWLINES_DOUBLE), new Event(2, "z", 0.5));
      try (InsertResponse response = client.insert("pojos", events).get(30, TimeUnit.SECONDS)) {
        assertThat(response.getWrittenRows()).isEqualTo(2);
      }
      List<GenericRecord> records = client.queryAll("SELECT text, value FROM pojos ORDER BY id");
      assertThat(records).extracting(r -> r.getString("text")).containsExactly("z", "x\n\ny");
      assertThat(records.get(1).getDouble("value")).isEqualTo(TWO_NEWLINES_DOUBLE);
    }
  }

  @Test
  void bindsQueryParametersOnTheServer() throws Exception {
    try (Client client = client(false)) {
      List<GenericRecord> records =
          client.queryAll(
              "SELECT {name:String} AS name, {n:UInt32} + 1 AS next",
              Map.of("name", "it's 'quoted' & spaced", "n", 41));
      assertThat(records.getFirst().getString("name")).isEqualTo("it's 'quoted' & spaced");
      assertThat(records.getFirst().getLong("next")).isEqualTo(42);
    }
  }

  @Test
  void answersPing() {
    try (Client client = client(false)) {
      assertThat(client.ping()).isTrue();
    }
  }

  @Test
  void surfacesServerErrorCodes() {
    try (Client client = client(true)) {
      assertThatThrownBy(() -> client.queryAll("SELEC 1"))
          .rootCause()
          .isInstanceOf(ServerException.class)
          .hasMessageContaining("SYNTAX_ERROR")
          .satisfies(e -> assertThat(((ServerException) e).getCode()).isEqualTo(62));
    }
  }
}
