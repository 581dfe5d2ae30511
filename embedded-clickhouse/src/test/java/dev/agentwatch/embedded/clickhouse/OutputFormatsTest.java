package dev.agentwatch.embedded.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutputFormatsTest {

  @Test
  void mapsFormatsToTheServersContentTypes() {
    assertThat(OutputFormats.contentType("TabSeparated")).isEqualTo("text/tab-separated-values; charset=UTF-8");
    assertThat(OutputFormats.contentType("TSVWithNames")).isEqualTo("text/tab-separated-values; charset=UTF-8");
    assertThat(OutputFormats.contentType("CSVWithNames")).isEqualTo("text/csv; charset=UTF-8; header=present");
    assertThat(OutputFormats.contentType("JSON")).isEqualTo("application/json; charset=UTF-8");
    assertThat(OutputFormats.contentType("JSONEachRow")).isEqualTo("application/x-ndjson; charset=UTF-8");
    assertThat(OutputFormats.contentType("RowBinaryWithNamesAndTypes")).isEqualTo("application/octet-stream");
    assertThat(OutputFormats.contentType("Pretty")).isEqualTo("text/plain; charset=UTF-8");
  }

  @Test
  void summaryHasEveryCounterAsAString() {
    ChdbResult result = new ChdbResult(new byte[0], 3, 24, 10, 80, 1, 8, 12345);
    assertThat(QuerySummary.json(result))
        .isEqualTo(
            "{\"read_rows\":\"10\",\"read_bytes\":\"80\",\"written_rows\":\"1\",\"written_bytes\":\"8\","
                + "\"total_rows_to_read\":\"10\",\"result_rows\":\"3\",\"result_bytes\":\"24\",\"elapsed_ns\":\"12345\"}");
  }
}
