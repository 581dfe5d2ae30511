package dev.agentwatch.embedded.clickhouse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * Reads a request body whole, undoing {@code Content-Encoding: gzip|deflate}, and refuses bodies
 * over the limit both before and after decompression (so a small gzip bomb is refused too).
 */
final class RequestBody {

  /** A body over the configured limit: answered with HTTP 413. */
  static final class TooLargeException extends IOException {
    TooLargeException(long limit) {
      super("Request body exceeds the limit of " + limit + " bytes");
    }
  }

  /** A {@code Content-Encoding} this server cannot undo. */
  static final class UnsupportedEncodingException extends IOException {
    UnsupportedEncodingException(String encoding) {
      super("Unsupported Content-Encoding '" + encoding + "'; send gzip, deflate or an identity body");
    }
  }

  private RequestBody() {}

  static byte[] read(InputStream raw, String contentEncoding, long maxBytes) throws IOException {
    InputStream limitedRaw = new LimitedInputStream(raw, maxBytes);
    String encoding = contentEncoding == null ? "" : contentEncoding.strip().toLowerCase(Locale.ROOT);
    InputStream decoded =
        switch (encoding) {
          case "", "identity" -> limitedRaw;
          case "gzip", "x-gzip" -> new GZIPInputStream(limitedRaw, 1 << 16);
          case "deflate" -> new InflaterInputStream(limitedRaw);
          default -> throw new UnsupportedEncodingException(encoding);
        };
    try (InputStream in = new LimitedInputStream(decoded, maxBytes)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  /** Fails with {@link TooLargeException} once more than {@code limit} bytes were read. */
  private static final class LimitedInputStream extends InputStream {
    private final InputStream in;
    private final long limit;
    private long count;

    LimitedInputStream(InputStream in, long limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws TooLargeException {
      count += n;
      if (count > limit) {
        throw new TooLargeException(limit);
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
