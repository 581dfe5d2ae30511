package dev.agentwatch.embedded.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpCredentialsTest {

  private static Headers headers(String... namesAndValues) {
    Headers headers = new Headers();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  private static String basic(String userAndPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void clickHouseHeadersWinOverBasicAuthAndParameters() {
    HttpCredentials credentials =
        HttpCredentials.of(
            headers("X-ClickHouse-User", "alice", "X-ClickHouse-Key", "k", "Authorization", basic("bob:b")),
            Map.of("user", "carol"));
    assertThat(credentials).isEqualTo(new HttpCredentials("alice", "k"));
  }

  @Test
  void readsBasicAuthWithColonsInThePassword() {
    assertThat(HttpCredentials.of(headers("Authorization", basic("bob:a:b")), Map.of()))
        .isEqualTo(new HttpCredentials("bob", "a:b"));
  }

  @Test
  void readsUrlParameters() {
    assertThat(HttpCredentials.of(new Headers(), Map.of("user", "u", "password", "p")))
        .isEqualTo(new HttpCredentials("u", "p"));
  }

  @Test
  void noCredentialsMeansTheDefaultUserWithoutPassword() {
    assertThat(HttpCredentials.of(new Headers(), Map.of()))
        .isEqualTo(new HttpCredentials("default", ""));
  }

  @Test
  void malformedBasicAuthFailsToMatch() {
    HttpCredentials credentials = HttpCredentials.of(headers("Authorization", "Basic %%%"), Map.of());
    assertThat(credentials.matches("default", "")).isFalse();
  }

  @Test
  void matchesOnlyTheExactUserAndPassword() {
    HttpCredentials credentials = new HttpCredentials("default", "secret");
    assertThat(credentials.matches("default", "secret")).isTrue();
    assertThat(credentials.matches("default", "secret2")).isFalse();
    assertThat(credentials.matches("other", "secret")).isFalse();
    assertThat(credentials.toString()).doesNotContain("secret");
  }
}
