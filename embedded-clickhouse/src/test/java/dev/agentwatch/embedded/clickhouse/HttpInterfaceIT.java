package dev.agentwatch.embedded.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ClickHouse HTTP interface as a plain HTTP client sees it: status codes, headers, bodies. */
@Timeout(60)
class HttpInterfaceIT {

  private static final String DATABASE = "http_it";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static EmbeddedClickHouse clickHouse;

  @BeforeAll
  static void createDatabase() {
    clickHouse = EmbeddedClickHouse.shared();
    clickHouse.engine().query("CREATE DATABASE IF NOT EXISTS " + DATABASE, "TabSeparated");
    clickHouse
        .engine()
        .query(
            "CREATE TABLE IF NOT EXISTS " + DATABASE + ".kv (k String, v UInt64) ENGINE = MergeTree ORDER BY k",
            "TabSeparated");
  }

  private static URI uri(String pathAndQuery) {
    return URI.create(clickHouse.httpUrl() + pathAndQuery);
  }

  private static String param(String name, String value) {
    return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> post(String pathAndQuery, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(uri(pathAndQuery))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static long count(String table) throws Exception {
    return Long.parseLong(post("/", "SELECT count() FROM " + DATABASE + "." + table).body().strip());
  }

  @Test
  void pingAndRootAnswerOk() throws Exception {
    for (String path : new String[] {"/ping", "/"}) {
      HttpResponse<String> response =
          HTTP.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("Ok.\n");
    }
  }

  @Test
  void selectCarriesTheHeadersClientsRead() throws Exception {
    HttpResponse<String> response =
        post("/?" + param("query_id", "my-query-1"), "SELECT number FROM system.numbers LIMIT 3");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("0\n1\n2\n");
    assertThat(response.headers().firstValue("X-ClickHouse-Query-Id")).hasValue("my-query-1");
    assertThat(response.headers().firstValue("X-ClickHouse-Format")).hasValue("TabSeparated");
    assertThat(response.headers().firstValue("X-ClickHouse-Timezone")).isPresent();
    assertThat(response.headers().firstValue("X-ClickHouse-Server-Display-Name")).isPresent();
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/tab-separated-values; charset=UTF-8");
    assertThat(response.headers().firstValue("X-ClickHouse-Summary").orElseThrow())
        .contains("\"result_rows\":\"3\"", "\"written_rows\":\"0\"", "\"elapsed_ns\":\"");
  }

  @Test
  void generatesAQueryIdWhenNoneIsGiven() throws Exception {
    HttpResponse<String> response = post("/", "SELECT 1");
    assertThat(response.headers().firstValue("X-ClickHouse-Query-Id").orElseThrow())
        .matches("[0-9a-f-]{36}");
  }

  @Test
  void badQueryGets500WithTheExceptionCode() throws Exception {
    HttpResponse<String> response = post("/", "SELECT * FROM " + DATABASE + ".no_such_table");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("60");
    assertThat(response.body()).startsWith("Code: 60. DB::Exception:").contains("UNKNOWN_TABLE");
  }

  @Test
  void wrongPasswordInBasicAuthGets401And516WithoutData() throws Exception {
    String basic = Base64.getEncoder().encodeToString("default:wrong".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(uri("/"))
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("SELECT 'top-secret'"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertRefused(response, "default");
  }

  @Test
  void unknownUserInClickHouseHeadersGets401And516WithoutData() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(uri("/"))
                .header("X-ClickHouse-User", "mallory")
                .header("X-ClickHouse-Key", "")
                .POST(HttpRequest.BodyPublishers.ofString("SELECT 'top-secret'"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertRefused(response, "mallory");
  }

  @Test
  void wrongPasswordInUrlParametersGets401And516WithoutData() throws Exception {
    HttpResponse<String> response =
        post("/?" + param("user", "default") + "&" + param("password", "nope"), "SELECT 'top-secret'");

    assertRefused(response, "default");
  }

  private static void assertRefused(HttpResponse<String> response, String user) {
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("516");
    assertThat(response.body())
        .startsWith("Code: 516. DB::Exception: " + user + ": Authentication failed")
        .contains("(AUTHENTICATION_FAILED)")
        .doesNotContain("top-secret");
  }

  @Test
  void rightCredentialsInEveryFormAreAccepted() throws Exception {
    String basic = Base64.getEncoder().encodeToString("default:".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> viaBasic =
        HTTP.send(
            HttpRequest.newBuilder(uri("/?query=SELECT%201"))
                .header("Authorization", "Basic " + basic)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> viaHeaders =
        HTTP.send(
            HttpRequest.newBuilder(uri("/?query=SELECT%201"))
                .header("X-ClickHouse-User", "default")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> viaParams = post("/?user=default&password=", "SELECT 1");

    assertThat(viaBasic.body()).isEqualTo("1\n");
    assertThat(viaHeaders.body()).isEqualTo("1\n");
    assertThat(viaParams.body()).isEqualTo("1\n");
  }

  @Test
  void queryParameterTextIsFollowedByTheBody() throws Exception {
    HttpResponse<String> response =
        post("/?" + param("query", "SELECT number FROM system.numbers"), "LIMIT 2");
    assertThat(response.body()).isEqualTo("0\n1\n");
  }

  @Test
  void databaseParameterAndHeaderSetTheCurrentDatabase() throws Exception {
    HttpResponse<String> viaParam = post("/?database=" + DATABASE, "SELECT currentDatabase()");
    HttpResponse<String> viaHeader =
        HTTP.send(
            HttpRequest.newBuilder(uri("/"))
                .header("X-ClickHouse-Database", DATABASE)
                .POST(HttpRequest.BodyPublishers.ofString("SELECT currentDatabase()"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> withoutEither = post("/", "SELECT currentDatabase()");
    HttpResponse<String> unknown = post("/?database=no_such_db", "SELECT 1");

    assertThat(viaParam.body()).isEqualTo(DATABASE + "\n");
    assertThat(viaHeader.body()).isEqualTo(DATABASE + "\n");
    assertThat(withoutEither.body()).isEqualTo("default\n");
    assertThat(unknown.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("81");
  }

  @Test
  void outputFormatComesFromTheFormatClauseThenParameterThenHeader() throws Exception {
    HttpResponse<String> viaParam = post("/?default_format=JSONEachRow", "SELECT 1 AS x");
    HttpResponse<String> viaHeader =
        HTTP.send(
            HttpRequest.newBuilder(uri("/"))
                .header("X-ClickHouse-Format", "CSVWithNames")
                .POST(HttpRequest.BodyPublishers.ofString("SELECT 1 AS x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> viaClause = post("/?default_format=JSONEachRow", "SELECT 1 AS x FORMAT CSV");

    assertThat(viaParam.body()).isEqualTo("{\"x\":1}\n");
    assertThat(viaParam.headers().firstValue("X-ClickHouse-Format")).hasValue("JSONEachRow");
    assertThat(viaHeader.body()).isEqualTo("\"x\"\n1\n");
    assertThat(viaClause.body()).isEqualTo("1\n");
    assertThat(viaClause.headers().firstValue("X-ClickHouse-Format")).hasValue("CSV");
    assertThat(viaClause.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
  }

  @Test
  void urlSettingsApplyToTheRequestOnly() throws Exception {
    HttpResponse<String> limited =
        post("/?max_result_rows=1&result_overflow_mode=throw", "SELECT number FROM numbers(5)");
    HttpResponse<String> unknownSetting = post("/?no_such_setting=1", "SELECT 1");
    HttpResponse<String> setInOneRequest = post("/", "SET max_result_rows = 1");
    HttpResponse<String> nextRequest = post("/", "SELECT number FROM numbers(5)");

    assertThat(limited.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("396");
    assertThat(unknownSetting.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("115");
    assertThat(setInOneRequest.statusCode()).isEqualTo(200);
    assertThat(nextRequest.body()).isEqualTo("0\n1\n2\n3\n4\n");
  }

  @Test
  void clientProtocolParametersAreAccepted() throws Exception {
    HttpResponse<String> response =
        post(
            "/?wait_end_of_query=1&session_id=s1&session_timeout=60&buffer_size=1000&stacktrace=0"
                + "&send_progress_in_http_headers=0&quota_key=q",
            "SELECT 7");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("7\n");
  }

  @Test
  void insertDataInTheBodyKeepsBlankLines() throws Exception {
    post("/", "TRUNCATE TABLE " + DATABASE + ".kv");
    HttpResponse<String> response =
        post(
            "/?database=" + DATABASE,
            "INSERT INTO kv FORMAT JSONEachRow\n{\"k\":\"a\\n\\nb\",\"v\":1}\n\n\n{\"k\":\"c\",\"v\":2}\n");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-ClickHouse-Summary").orElseThrow())
        .contains("\"written_rows\":\"2\"");
    assertThat(post("/", "SELECT k FROM " + DATABASE + ".kv ORDER BY v FORMAT JSONEachRow").body())
        .isEqualTo("{\"k\":\"a\\n\\nb\"}\n{\"k\":\"c\"}\n");
  }

  @Test
  void insertStatementInTheParameterTakesTheBodyAsData() throws Exception {
    post("/", "CREATE TABLE IF NOT EXISTS " + DATABASE + ".kv_param (k String, v UInt64) ENGINE = MergeTree ORDER BY k");
    HttpResponse<String> tsv =
        post("/?" + param("query", "INSERT INTO " + DATABASE + ".kv_param FORMAT TabSeparated"), "x\t1\ny\t2\n");
    HttpResponse<String> values =
        post("/?" + param("query", "INSERT INTO " + DATABASE + ".kv_param (k, v) VALUES"), "('z', 3), ('w\\n\\n', 4);");
    HttpResponse<String> inlineValues =
        post("/", "INSERT INTO " + DATABASE + ".kv_param SETTINGS async_insert = 0 VALUES ('q', 5)");

    assertThat(tsv.statusCode()).isEqualTo(200);
    assertThat(values.statusCode()).as(values.body()).isEqualTo(200);
    assertThat(inlineValues.statusCode()).as(inlineValues.body()).isEqualTo(200);
    assertThat(count("kv_param")).isEqualTo(5);
  }

  @Test
  void insertIntoAMissingTableGetsItsErrorCode() throws Exception {
    HttpResponse<String> response =
        post("/?" + param("query", "INSERT INTO " + DATABASE + ".missing FORMAT TabSeparated"), "x\t1\n");
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("60");
  }

  @Test
  void gzipRequestBodiesAreDecoded() throws Exception {
    post("/", "CREATE TABLE IF NOT EXISTS " + DATABASE + ".kv_gzip (k String, v UInt64) ENGINE = MergeTree ORDER BY k");
    byte[] body = gzip("INSERT INTO " + DATABASE + ".kv_gzip FORMAT CSV\n\"g\",1\n\"h\",2\n");
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(uri("/"))
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(count("kv_gzip")).isEqualTo(2);
  }

  @Test
  void responsesAreGzippedWhenEnabledAndAccepted() throws Exception {
    HttpResponse<byte[]> response =
        HTTP.send(
            HttpRequest.newBuilder(uri("/?enable_http_compression=1"))
                .header("Accept-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString("SELECT number FROM numbers(3)"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
    try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(response.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("0\n1\n2\n");
    }
  }

  @Test
  void bodiesOverTheLimitGet413() throws Exception {
    EmbeddedClickHouseConfig small =
        clickHouse.config().withHttpPort(0).withMaxRequestBytes(1024);
    try (ClickHouseHttpServer server = ClickHouseHttpServer.start(clickHouse.engine(), small)) {
      URI endpoint = URI.create("http://127.0.0.1:" + server.port() + "/");
      String big = "SELECT '" + "x".repeat(4096) + "'";
      HttpResponse<String> declared =
          HTTP.send(
              HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(big)).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> gzipBomb =
          HTTP.send(
              HttpRequest.newBuilder(endpoint)
                  .header("Content-Encoding", "gzip")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(big)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> small1 =
          HTTP.send(
              HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString("SELECT 1")).build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(declared.statusCode()).isEqualTo(413);
      assertThat(declared.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("307");
      assertThat(gzipBomb.statusCode()).isEqualTo(413);
      assertThat(small1.body()).isEqualTo("1\n");
    }
  }

  @Test
  void unknownPathsGet404() throws Exception {
    HttpResponse<String> response =
        HTTP.send(HttpRequest.newBuilder(uri("/play")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(404);
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
