package dev.agentwatch.embedded.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

  private static final byte[] TEXT = "SELECT 1\n\n-- done".getBytes();

  @Test
  void readsIdentityGzipAndDeflateBodies() throws IOException {
    ByteArrayOutputStream gzip = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
      out.write(TEXT);
    }
    ByteArrayOutputStream deflate = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(deflate)) {
      out.write(TEXT);
    }

    assertThat(RequestBody.read(new ByteArrayInputStream(TEXT), null, 1024)).isEqualTo(TEXT);
    assertThat(RequestBody.read(new ByteArrayInputStream(gzip.toByteArray()), "gzip", 1024)).isEqualTo(TEXT);
    assertThat(RequestBody.read(new ByteArrayInputStream(deflate.toByteArray()), "deflate", 1024)).isEqualTo(TEXT);
  }

  @Test
  void refusesBodiesOverTheLimitBeforeAndAfterDecompression() throws IOException {
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bomb)) {
      out.write(new byte[1_000_000]);
    }

    assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream(new byte[2000]), "", 1024))
        .isInstanceOf(RequestBody.TooLargeException.class);
    assertThat(bomb.size()).isLessThan(2048);
    assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream(bomb.toByteArray()), "gzip", 4096))
        .isInstanceOf(RequestBody.TooLargeException.class);
  }

  @Test
  void refusesUnknownEncodings() {
    assertThatThrownBy(() -> RequestBody.read(new ByteArrayInputStream(TEXT), "br", 1024))
        .isInstanceOf(RequestBody.UnsupportedEncodingException.class)
        .hasMessageContaining("br");
  }
}
