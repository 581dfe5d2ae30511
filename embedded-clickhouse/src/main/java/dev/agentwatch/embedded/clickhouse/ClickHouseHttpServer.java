package dev.agentwatch.embedded.clickhouse;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ClickHouse HTTP interface over a {@link Chdb} engine, so that unmodified ClickHouse clients
 * (client-v2, jdbc-v2, curl) work against the embedded engine.
 *
 * <p>What it serves:
 *
 * <ul>
 *   <li>{@code GET /ping} and {@code GET /} without a query answer {@code Ok.}.
 *   <li>{@code GET}/{@code POST /}: the SQL is the {@code query} URL parameter, followed by a
 *       newline and the body when both are present (server semantics). For {@code INSERT ...
 *       FORMAT Name} and {@code INSERT ... VALUES}, what follows is data: it is streamed into the
 *       engine with chDB's streaming-insert API and never parsed as SQL text.
 *   <li>Authentication against one configured user: basic auth, {@code
 *       X-ClickHouse-User}/{@code X-ClickHouse-Key} or {@code user}/{@code password}
 *       parameters; a mismatch gets 401 with code 516 and no data.
 *   <li>Each request runs in its own engine session, with the {@code database} parameter or
 *       {@code X-ClickHouse-Database} header as current database and URL settings applied; see
 *       {@link HttpQuery} for which parameters are settings and which are ignored.
 *   <li>Response headers {@code X-ClickHouse-Query-Id}, {@code -Format}, {@code -Timezone}, {@code
 *       -Summary}, {@code -Server-Display-Name}; errors are HTTP 500 (401, 413 where noted) with
 *       {@code X-ClickHouse-Exception-Code} and the engine's message as body.
 *   <li>gzip/deflate request bodies; gzip/deflate responses when {@code enable_http_compression=1}
 *       and the client accepts them; ClickHouse's LZ4 block framing for {@code compress=1} and
 *       {@code decompress=1}.
 * </ul>
 *
 * <p>Thread-safety: requests are handled concurrently on virtual threads; engine calls are
 * serialised by {@link Chdb}. Responses are buffered whole, so a result must fit in memory.
 */
public final class ClickHouseHttpServer implements AutoCloseable {

  static final String DISPLAY_NAME = "agentwatch-embedded-clickhouse";
  private static final int AUTHENTICATION_FAILED = 516;
  private static final int TOO_MANY_BYTES = 307;
  private static final int SYNTAX_ERROR = 62;
  private static final byte[] OK = "Ok.\n".getBytes(StandardCharsets.US_ASCII);
  private static final Logger LOG = LoggerFactory.getLogger(ClickHouseHttpServer.class);

  private final Chdb engine;
  private final EmbeddedClickHouseConfig config;
  private final HttpServer server;
  private final ExecutorService executor;
  private final String timezone;

  private ClickHouseHttpServer(
      Chdb engine, EmbeddedClickHouseConfig config, HttpServer server, ExecutorService executor) {
    this.engine = engine;
    this.config = config;
    this.server = server;
    this.executor = executor;
    this.timezone = engine.query("SELECT timezone()", "TabSeparated").text().strip();
  }

  /**
   * Binds {@code config.host():config.httpPort()} and starts serving {@code engine}. The engine
   * stays owned by the caller.
   *
   * @throws UncheckedIOException if the address cannot be bound
   */
  public static ClickHouseHttpServer start(Chdb engine, EmbeddedClickHouseConfig config) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(config.host(), config.httpPort()), 128);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on "
              + config.host()
              + ":"
              + config.httpPort()
              + "; choose a free port (0 picks an ephemeral one)",
          e);
    }
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    ClickHouseHttpServer httpServer = new ClickHouseHttpServer(engine, config, server, executor);
    server.setExecutor(executor);
    server.createContext("/", httpServer::handle);
    server.start();
    LOG.atInfo()
        .addKeyValue("host", config.host())
        .addKeyValue("port", httpServer.port())
        .addKeyValue("timezone", httpServer.timezone)
        .log("ClickHouse HTTP interface listening");
    return httpServer;
  }

  /** The bound port; the ephemeral one when configured with port 0. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops accepting requests and waits briefly for running ones. Leaves the engine open. */
  @Override
  public void close() {
    server.stop(1);
    executor.close();
    LOG.atInfo().addKeyValue("port", port()).log("ClickHouse HTTP interface stopped");
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      Map<String, String> params = HttpQuery.parseQueryString(exchange.getRequestURI().getRawQuery());
      if (LOG.isDebugEnabled()) {
        LOG.atDebug()
            .addKeyValue("method", exchange.getRequestMethod())
            .addKeyValue("path", path)
            .addKeyValue("params", redact(params))
            .addKeyValue("headers", redactHeaders(exchange.getRequestHeaders()))
            .log("request");
      }
      boolean plainGet =
          exchange.getRequestMethod().equals("GET") || exchange.getRequestMethod().equals("HEAD");
      if (path.equals("/ping") || (path.equals("/") && plainGet && !params.containsKey("query"))) {
        send(exchange, 200, "text/html; charset=UTF-8", OK);
        return;
      }
      if (!path.equals("/")) {
        sendError(exchange, 404, 0, "There is no handle " + path, null);
        return;
      }
      HttpCredentials credentials = HttpCredentials.of(exchange.getRequestHeaders(), params);
      if (!credentials.matches(config.user(), config.password())) {
        LOG.atWarn().addKeyValue("user", credentials.user()).log("authentication failed");
        sendError(
            exchange,
            401,
            AUTHENTICATION_FAILED,
            "Code: 516. DB::Exception: "
                + credentials.user()
                + ": Authentication failed: password is incorrect, or there is no user with such"
                + " name. (AUTHENTICATION_FAILED)",
            null);
        return;
      }
      answerQuery(exchange, params);
    } catch (IOException e) {
      LOG.atDebug().setCause(e).log("client went away");
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).log("unexpected failure serving a request");
    }
  }

  private void answerQuery(HttpExchange exchange, Map<String, String> params) throws IOException {
    HttpQuery query = HttpQuery.of(params, exchange.getRequestHeaders());
    byte[] body;
    try {
      String contentLength = exchange.getRequestHeaders().getFirst("Content-Length");
      if (contentLength != null && Long.parseLong(contentLength.strip()) > config.maxRequestBytes()) {
        throw new RequestBody.TooLargeException(config.maxRequestBytes());
      }
      body =
          RequestBody.read(
              exchange.getRequestBody(),
              exchange.getRequestHeaders().getFirst("Content-Encoding"),
              config.maxRequestBytes());
      if (query.decompressRequest()) {
        body = ClickHouseCompression.decompress(body, config.maxRequestBytes());
      }
    } catch (RequestBody.TooLargeException e) {
      sendError(exchange, 413, TOO_MANY_BYTES,
          "Code: 307. DB::Exception: " + e.getMessage() + ". (TOO_MANY_BYTES)", query);
      return;
    } catch (NumberFormatException | IOException e) {
      sendError(exchange, 400, 36,
          "Code: 36. DB::Exception: Cannot read the request body: " + e.getMessage() + ". (BAD_ARGUMENTS)",
          query);
      return;
    }
    String sqlParam = params.get("query");
    long startNanos = System.nanoTime();
    try {
      Execution execution = execute(query, sqlParam, body);
      ChdbResult result = execution.result();
      LOG.atDebug()
          .addKeyValue("query_id", query.queryId())
          .addKeyValue("result_rows", result.resultRows())
          .addKeyValue("written_rows", result.writtenRows())
          .addKeyValue("elapsed_us", (System.nanoTime() - startNanos) / 1000)
          .log("query done");
      Headers headers = exchange.getResponseHeaders();
      headers.set("X-ClickHouse-Query-Id", query.queryId());
      headers.set("X-ClickHouse-Format", execution.outputFormat());
      headers.set("X-ClickHouse-Timezone", timezone);
      headers.set("X-ClickHouse-Summary", QuerySummary.json(result));
      headers.set("X-ClickHouse-Server-Display-Name", DISPLAY_NAME);
      byte[] output = result.output();
      if (query.compressResponse()) {
        output = ClickHouseCompression.compress(output);
      }
      output = encodeForHttp(exchange, query, output);
      send(exchange, 200, OutputFormats.contentType(execution.outputFormat()), output);
    } catch (ChdbQueryException e) {
      LOG.atDebug()
          .addKeyValue("query_id", query.queryId())
          .addKeyValue("code", e.code())
          .log("query failed");
      sendError(exchange, 500, e.code(), e.getMessage(), query);
    }
  }

  private record Execution(ChdbResult result, String outputFormat) {}

  private Execution execute(HttpQuery query, String sqlParam, byte[] body) {
    StatementSource source = StatementSource.of(sqlParam, body);
    try (ChdbSession session = engine.openSession()) {
      if (query.database() != null) {
        session.useDatabase(query.database());
      }
      session.applySettings(query.settings());
      return switch (source.split()) {
        case SqlText.DataInsert insert ->
            new Execution(
                session.insert(insert.head(), insert.format(), source.dataFrom(insert.dataOffset())),
                query.defaultFormat());
        case SqlText.Plain ignored -> {
          String sql = source.sql();
          if (sql.isBlank()) {
            throw ChdbQueryException.of(SYNTAX_ERROR, "SYNTAX_ERROR", "Empty query");
          }
          String format = SqlText.formatClause(sql).orElse(query.defaultFormat());
          yield new Execution(session.query(sql, query.defaultFormat(), query.queryParameters()), format);
        }
        case SqlText.IncompleteInsert ignored ->
            throw ChdbQueryException.of(
                SYNTAX_ERROR, "SYNTAX_ERROR", "INSERT without FORMAT, VALUES or SELECT");
      };
    }
  }

  /**
   * The statement text of a request: the {@code query} parameter, then a newline, then the body,
   * kept as parts so that a large insert body is not copied when the parameter holds the whole
   * statement.
   */
  private record StatementSource(byte[] text, byte[] body, SqlText.Split split) {

    static StatementSource of(String sqlParam, byte[] body) {
      if (sqlParam == null || sqlParam.isEmpty()) {
        return new StatementSource(body, new byte[0], SqlText.split(body));
      }
      byte[] param = (sqlParam + "\n").getBytes(StandardCharsets.UTF_8);
      SqlText.Split split = SqlText.split(param);
      if (split instanceof SqlText.IncompleteInsert && body.length > 0) {
        byte[] combined = new byte[param.length + body.length];
        System.arraycopy(param, 0, combined, 0, param.length);
        System.arraycopy(body, 0, combined, param.length, body.length);
        return new StatementSource(combined, new byte[0], SqlText.split(combined));
      }
      return new StatementSource(param, body, split);
    }

    List<ByteBuffer> dataFrom(int offset) {
      List<ByteBuffer> data = new ArrayList<>(2);
      if (offset < text.length) {
        data.add(ByteBuffer.wrap(text, offset, text.length - offset));
      }
      if (body.length > 0) {
        data.add(ByteBuffer.wrap(body));
      }
      return data;
    }

    String sql() {
      String head = new String(text, StandardCharsets.UTF_8);
      return body.length == 0 ? head.strip() : head + new String(body, StandardCharsets.UTF_8);
    }
  }

  private static byte[] encodeForHttp(HttpExchange exchange, HttpQuery query, byte[] output)
      throws IOException {
    if (!query.httpCompression()) {
      return output;
    }
    String accepted = exchange.getRequestHeaders().getFirst("Accept-Encoding");
    if (accepted == null) {
      return output;
    }
    String acceptedLower = accepted.toLowerCase(Locale.ROOT);
    ByteArrayOutputStream encoded = new ByteArrayOutputStream(Math.max(64, output.length / 4));
    if (acceptedLower.contains("gzip")) {
      try (OutputStream out = new GZIPOutputStream(encoded)) {
        out.write(output);
      }
      exchange.getResponseHeaders().set("Content-Encoding", "gzip");
      return encoded.toByteArray();
    }
    if (acceptedLower.contains("deflate")) {
      try (OutputStream out = new DeflaterOutputStream(encoded)) {
        out.write(output);
      }
      exchange.getResponseHeaders().set("Content-Encoding", "deflate");
      return encoded.toByteArray();
    }
    return output;
  }

  private void sendError(HttpExchange exchange, int status, int code, String message, HttpQuery query)
      throws IOException {
    Headers headers = exchange.getResponseHeaders();
    headers.set("X-ClickHouse-Exception-Code", Integer.toString(code));
    headers.set("X-ClickHouse-Server-Display-Name", DISPLAY_NAME);
    if (query != null) {
      headers.set("X-ClickHouse-Query-Id", query.queryId());
      headers.set("X-ClickHouse-Format", query.defaultFormat());
      headers.set("X-ClickHouse-Timezone", timezone);
    }
    String text = message.endsWith("\n") ? message : message + "\n";
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    if (query != null && query.compressResponse()) {
      // The server writes an exception through the same compressed stream as the data.
      body = ClickHouseCompression.compress(body);
    }
    send(exchange, status, "text/plain; charset=UTF-8", body);
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static Map<String, String> redact(Map<String, String> params) {
    Map<String, String> copy = new LinkedHashMap<>(params);
    copy.computeIfPresent("password", (k, v) -> "***");
    copy.computeIfPresent("query", (k, v) -> v.length() > 200 ? v.substring(0, 200) + "..." : v);
    return copy;
  }

  private static Map<String, List<String>> redactHeaders(Headers headers) {
    Map<String, List<String>> copy = new TreeMap<>(headers);
    copy.computeIfPresent("Authorization", (k, v) -> List.of("***"));
    copy.computeIfPresent("X-clickhouse-key", (k, v) -> List.of("***"));
    return copy;
  }
}
