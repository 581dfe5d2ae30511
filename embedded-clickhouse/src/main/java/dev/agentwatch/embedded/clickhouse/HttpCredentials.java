package dev.agentwatch.embedded.clickhouse;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

/**
 * The user and password a request presents, taken the ways the ClickHouse HTTP interface accepts:
 * {@code X-ClickHouse-User}/{@code X-ClickHouse-Key} headers, HTTP basic auth, or {@code
 * user}/{@code password} URL parameters, in that order of precedence. A request with none of
 * them is user {@code default} with an empty password, as on the server.
 */
record HttpCredentials(String user, String password) {

  static final String DEFAULT_USER = "default";

  static HttpCredentials of(Headers headers, Map<String, String> params) {
    String headerUser = headers.getFirst("X-ClickHouse-User");
    if (headerUser != null) {
      return new HttpCredentials(headerUser, orEmpty(headers.getFirst("X-ClickHouse-Key")));
    }
    String authorization = headers.getFirst("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded = decodeBase64(authorization.substring(6).strip());
      int colon = decoded.indexOf(':');
      return colon < 0
          ? new HttpCredentials(decoded, "")
          : new HttpCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
    if (params.containsKey("user") || params.containsKey("password")) {
      return new HttpCredentials(
          params.getOrDefault("user", DEFAULT_USER), params.getOrDefault("password", ""));
    }
    return new HttpCredentials(DEFAULT_USER, "");
  }

  /** Compares in constant time, so the response time does not leak how much of a secret matched. */
  boolean matches(String expectedUser, String expectedPassword) {
    boolean userMatches = constantTimeEquals(user, expectedUser);
    boolean passwordMatches = constantTimeEquals(password, expectedPassword);
    return userMatches & passwordMatches;
  }

  @Override
  public String toString() {
    return "HttpCredentials[user=" + user + ", password=***]";
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeBase64(String value) {
    try {
      return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return ""; // malformed credentials simply fail authentication
    }
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
