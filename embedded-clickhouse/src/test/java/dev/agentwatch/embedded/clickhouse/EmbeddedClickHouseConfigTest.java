package dev.agentwatch.embedded.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmbeddedClickHouseConfigTest {

  private static final Path DIR = Path.of("/tmp/data");

  @Test
  void defaultsMatchAClickHouseServer() {
    EmbeddedClickHouseConfig config = EmbeddedClickHouseConfig.defaults(DIR);

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.httpPort()).isEqualTo(8123);
    assertThat(config.user()).isEqualTo("default");
    assertThat(config.password()).isEmpty();
    assertThat(config.libraryPath()).isEmpty();
    assertThat(config.libraryCacheRoot()).isEqualTo(ChdbLibrary.defaultCacheRoot());
    assertThat(config.maxRequestBytes()).isEqualTo(256L << 20);
  }

  @Test
  void shortConstructorFillsTheCacheRootAndLimit() {
    EmbeddedClickHouseConfig config =
        new EmbeddedClickHouseConfig(DIR, "0.0.0.0", 0, "u", "p", Optional.empty(), null);
    assertThat(config.libraryCacheRoot()).isEqualTo(ChdbLibrary.defaultCacheRoot());
    assertThat(config.maxRequestBytes()).isEqualTo(EmbeddedClickHouseConfig.DEFAULT_MAX_REQUEST_BYTES);
  }

  @Test
  void refusesValuesWithMessagesSayingWhatToFix() {
    EmbeddedClickHouseConfig config = EmbeddedClickHouseConfig.defaults(DIR);

    assertThatThrownBy(() -> config.withHttpPort(70000)).hasMessageContaining("httpPort must be 0 (ephemeral) to 65535");
    assertThatThrownBy(() -> config.withCredentials(" ", "")).hasMessageContaining("user must be");
    assertThatThrownBy(() -> config.withCredentials("u", null)).hasMessageContaining("empty string for no password");
    assertThatThrownBy(() -> config.withMaxRequestBytes(10)).hasMessageContaining("at least 1024");
    assertThatThrownBy(() -> EmbeddedClickHouseConfig.defaults(null)).hasMessageContaining("dataDir");
  }

  @Test
  void toStringRedactsThePassword() {
    assertThat(EmbeddedClickHouseConfig.defaults(DIR).withCredentials("u", "hunter2").toString())
        .contains("password=***")
        .doesNotContain("hunter2");
  }
}
