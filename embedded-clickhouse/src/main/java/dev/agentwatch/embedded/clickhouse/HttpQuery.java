package dev.agentwatch.embedded.clickhouse;

import com.sun.net.httpserver.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a ClickHouse HTTP request asks for, apart from its SQL text and body: the session defaults
 * (database, output format), settings, query parameters and protocol options.
 *
 * <p>URL parameters split three ways, as on the server: {@link #PROTOCOL_PARAMS} steer the HTTP
 * exchange; {@code param_<name>} bind {@code {name:Type}} query parameters; every other parameter
 * is a ClickHouse setting applied to the request's session (an unknown name fails the request with
 * code 115, as on the server). Protocol parameters this server does not act on are ignored:
 * {@code session_id}, {@code session_timeout}, {@code session_check} (every request is its own
 * session), {@code wait_end_of_query} and {@code buffer_size} (responses are always buffered
 * whole), {@code stacktrace}, {@code quota_key}, {@code role}, {@code client_protocol_version}.
 *
 * @param queryId the {@code query_id} parameter, or a random UUID
 * @param database the {@code database} parameter or {@code X-ClickHouse-Database} header, or null
 * @param defaultFormat the {@code default_format} parameter or {@code X-ClickHouse-Format} header,
 *     or {@code TabSeparated}
 * @param settings ClickHouse settings to apply, in request order
 * @param queryParameters values for {@code {name:Type}} placeholders, keyed by name
 * @param httpCompression whether {@code enable_http_compression=1} allows a gzip/deflate response
 * @param compressResponse whether {@code compress=1} asks for ClickHouse's LZ4 block framing
 * @param decompressRequest whether {@code decompress=1} says the body uses that framing
 */
record HttpQuery(
    String queryId,
    String database,
    String defaultFormat,
    Map<String, String> settings,
    Map<String, String> queryParameters,
    boolean httpCompression,
    boolean compressResponse,
    boolean decompressRequest) {

  static final Set<String> PROTOCOL_PARAMS =
      Set.of(
          "query",
          "database",
          "default_format",
          "query_id",
          "user",
          "password",
          "quota_key",
          "compress",
          "decompress",
          "session_id",
          "session_timeout",
          "session_check",
          "stacktrace",
          "buffer_size",
          "wait_end_of_query",
          "client_protocol_version",
          "role");

  private static final String PARAMETER_PREFIX = "param_";

  HttpQuery {
    settings = Map.copyOf(settings);
    queryParameters = Map.copyOf(queryParameters);
  }

  static HttpQuery of(Map<String, String> params, Headers headers) {
    Map<String, String> settings = new LinkedHashMap<>();
    Map<String, String> queryParameters = new LinkedHashMap<>();
    for (Map.Entry<String, String> param : params.entrySet()) {
      String name = param.getKey();
      if (name.startsWith(PARAMETER_PREFIX) && name.length() > PARAMETER_PREFIX.length()) {
        queryParameters.put(name.substring(PARAMETER_PREFIX.length()), param.getValue());
      } else if (!PROTOCOL_PARAMS.contains(name)) {
        settings.put(name, param.getValue());
      }
    }
    String database = firstNonBlank(params.get("database"), headers.getFirst("X-ClickHouse-Database"));
    String format = firstNonBlank(params.get("default_format"), headers.getFirst("X-ClickHouse-Format"));
    String queryId = firstNonBlank(params.get("query_id"), null);
    return new HttpQuery(
        queryId == null ? UUID.randomUUID().toString() : queryId,
        database,
        format == null ? OutputFormats.DEFAULT_FORMAT : format,
        settings,
        queryParameters,
        isTrue(settings.get("enable_http_compression")),
        isTrue(params.get("compress")),
        isTrue(params.get("decompress")));
  }

  /** Parses a raw URL query string; a repeated name keeps its last value, as on the server. */
  static Map<String, String> parseQueryString(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return params;
  }

  private static boolean isTrue(String value) {
    return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
  }

  private static String firstNonBlank(String first, String second) {
    if (first != null && !first.isBlank()) {
      return first;
    }
    return second != null && !second.isBlank() ? second : null;
  }
}
