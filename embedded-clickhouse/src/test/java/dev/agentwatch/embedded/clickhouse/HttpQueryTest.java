package dev.agentwatch.embedded.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpQueryTest {

  @Test
  void splitsParametersIntoProtocolSettingsAndQueryParameters() {
    Map<String, String> params =
        HttpQuery.parseQueryString(
            "query=SELECT%201&database=db&query_id=q1&compress=1&wait_end_of_query=1"
                + "&session_id=s&max_threads=2&param_name=O%27Brien&enable_http_compression=1");

    HttpQuery query = HttpQuery.of(params, new Headers());

    assertThat(query.queryId()).isEqualTo("q1");
    assertThat(query.database()).isEqualTo("db");
    assertThat(query.settings())
        .containsExactlyInAnyOrderEntriesOf(Map.of("max_threads", "2", "enable_http_compression", "1"));
    assertThat(query.queryParameters()).containsExactlyEntriesOf(Map.of("name", "O'Brien"));
    assertThat(query.compressResponse()).isTrue();
    assertThat(query.decompressRequest()).isFalse();
    assertThat(query.httpCompression()).isTrue();
  }

  @Test
  void fallsBackToHeadersThenServerDefaults() {
    Headers headers = new Headers();
    headers.add("X-ClickHouse-Database", "from_header");
    headers.add("X-ClickHouse-Format", "RowBinaryWithNamesAndTypes");

    HttpQuery fromHeaders = HttpQuery.of(Map.of(), headers);
    HttpQuery defaults = HttpQuery.of(Map.of(), new Headers());

    assertThat(fromHeaders.database()).isEqualTo("from_header");
    assertThat(fromHeaders.defaultFormat()).isEqualTo("RowBinaryWithNamesAndTypes");
    assertThat(defaults.database()).isNull();
    assertThat(defaults.defaultFormat()).isEqualTo("TabSeparated");
    assertThat(defaults.queryId()).matches("[0-9a-f-]{36}");
  }

  @Test
  void parametersWinOverHeaders() {
    Headers headers = new Headers();
    headers.add("X-ClickHouse-Format", "CSV");
    HttpQuery query = HttpQuery.of(Map.of("default_format", "JSON"), headers);
    assertThat(query.defaultFormat()).isEqualTo("JSON");
  }

  @Test
  void decodesPlusAndPercentAndKeepsTheLastRepeatedValue() {
    assertThat(HttpQuery.parseQueryString("a=1+2%2B3&b&a=x"))
        .isEqualTo(Map.of("a", "x", "b", ""));
    assertThat(HttpQuery.parseQueryString("q=%E2%9C%93")).containsEntry("q", "✓");
  }
}
