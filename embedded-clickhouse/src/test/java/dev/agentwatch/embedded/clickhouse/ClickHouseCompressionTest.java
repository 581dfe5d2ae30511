package dev.agentwatch.embedded.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.internal.ClickHouseLZ4InputStream;
import com.clickhouse.client.api.internal.ClickHouseLZ4OutputStream;
import com.clickhouse.data.ClickHouseCityHash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

/** The block framing checked against the ClickHouse Java client's own implementation. */
class ClickHouseCompressionTest {

  private static final LZ4Factory LZ4 = LZ4Factory.fastestJavaInstance();

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  // ClickHouseCityHash is deprecated for applications, but it is what the client verifies with.
  @SuppressWarnings("deprecation")
  @Test
  void cityHashMatchesTheClientsForEveryLengthClass() {
    Random random = new Random(42);
    for (int length = 0; length <= 600; length++) {
      byte[] data = randomBytes(random, length + 3);
      assertThat(CityHash128.hash(data, 3, length))
          .as("length %d", length)
          .containsExactly(ClickHouseCityHash.cityHash128(data, 3, length));
    }
    byte[] large = randomBytes(random, 100_003);
    assertThat(CityHash128.hash(large, 0, large.length))
        .containsExactly(ClickHouseCityHash.cityHash128(large, 0, large.length));
  }

  @Test
  void compressedResponsesAreReadableByTheClient() throws IOException {
    byte[] data = randomBytes(new Random(7), 2_500_000); // three blocks
    byte[] framed = ClickHouseCompression.compress(data);

    try (InputStream in =
        new ClickHouseLZ4InputStream(new ByteArrayInputStream(framed), LZ4.fastDecompressor(), 8192)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void smallAndEmptyResponsesRoundTrip() throws IOException {
    assertThat(ClickHouseCompression.compress(new byte[0])).isEmpty();
    for (int length : new int[] {1, 14, 15, 16, 269, 270, 271}) {
      byte[] data = randomBytes(new Random(length), length);
      assertThat(ClickHouseCompression.decompress(ClickHouseCompression.compress(data), 1 << 20))
          .as("length %d", length)
          .isEqualTo(data);
    }
  }

  @Test
  void decompressesWhatTheClientCompresses() throws IOException {
    byte[] data = ("row\n\nrepeated text ".repeat(100_000)).getBytes();
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    try (ClickHouseLZ4OutputStream out =
        new ClickHouseLZ4OutputStream(framed, LZ4.fastCompressor(), 65536)) {
      out.write(data);
    }

    assertThat(ClickHouseCompression.decompress(framed.toByteArray(), Long.MAX_VALUE)).isEqualTo(data);
  }

  @Test
  void refusesCorruptBlocks() {
    byte[] framed = ClickHouseCompression.compress("hello, world".getBytes());
    framed[framed.length - 1] ^= 1;

    assertThatThrownBy(() -> ClickHouseCompression.decompress(framed, 1 << 20))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("checksum");
  }

  @Test
  void refusesOutputOverTheLimit() {
    byte[] framed = ClickHouseCompression.compress(new byte[10_000]);
    assertThatThrownBy(() -> ClickHouseCompression.decompress(framed, 1000))
        .isInstanceOf(RequestBody.TooLargeException.class);
  }
}
