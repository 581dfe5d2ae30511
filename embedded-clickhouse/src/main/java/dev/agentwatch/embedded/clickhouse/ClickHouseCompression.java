package dev.agentwatch.embedded.clickhouse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * ClickHouse's compressed-block framing, used over HTTP with {@code compress=1} (responses) and
 * {@code decompress=1} (request bodies). Each block is a 16-byte CityHash128 checksum of what
 * follows, a method byte, the compressed size including the 9-byte header, the uncompressed size
 * (both little-endian 32-bit), then the payload.
 *
 * <p>Responses are framed as LZ4 blocks that hold only literals: valid LZ4 for any decoder, with
 * no compression effort, which costs nothing on loopback. Requests accept LZ4 (0x82) and
 * uncompressed (0x02) blocks. Pure and thread-safe.
 */
final class ClickHouseCompression {

  static final int METHOD_NONE = 0x02;
  static final int METHOD_LZ4 = 0x82;
  private static final int CHECKSUM_BYTES = 16;
  private static final int HEADER_BYTES = 9;
  private static final int BLOCK_BYTES = 1 << 20;

  private ClickHouseCompression() {}

  /** Frames {@code data} as checksummed LZ4 blocks of at most 1 MiB; empty data gives no block. */
  static byte[] compress(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + data.length / 200 + 64);
    for (int offset = 0; offset < data.length; offset += BLOCK_BYTES) {
      int length = Math.min(BLOCK_BYTES, data.length - offset);
      byte[] block = literalOnlyBlock(data, offset, length);
      long[] checksum = CityHash128.hash(block, 0, block.length);
      writeLong(out, checksum[0]);
      writeLong(out, checksum[1]);
      out.write(block, 0, block.length);
    }
    return out.toByteArray();
  }

  /**
   * Undoes the framing, verifying every checksum.
   *
   * @throws IOException for a corrupt frame, an unsupported method, or more than {@code maxBytes}
   *     of output
   */
  static byte[] decompress(byte[] framed, long maxBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(framed.length * 2 + 64);
    int pos = 0;
    while (pos < framed.length) {
      if (framed.length - pos < CHECKSUM_BYTES + HEADER_BYTES) {
        throw new IOException("truncated compressed block header at byte " + pos);
      }
      int blockStart = pos + CHECKSUM_BYTES;
      int method = framed[blockStart] & 0xff;
      int compressedSize = readInt(framed, blockStart + 1);
      int uncompressedSize = readInt(framed, blockStart + 5);
      if (compressedSize < HEADER_BYTES || compressedSize > framed.length - blockStart) {
        throw new IOException("corrupt compressed block size " + compressedSize + " at byte " + pos);
      }
      long[] checksum = CityHash128.hash(framed, blockStart, compressedSize);
      if (checksum[0] != readLong(framed, pos) || checksum[1] != readLong(framed, pos + 8)) {
        throw new IOException("checksum mismatch in compressed block at byte " + pos);
      }
      if (out.size() + (long) uncompressedSize > maxBytes) {
        throw new RequestBody.TooLargeException(maxBytes);
      }
      int payload = blockStart + HEADER_BYTES;
      int payloadLength = compressedSize - HEADER_BYTES;
      switch (method) {
        case METHOD_NONE -> out.write(framed, payload, payloadLength);
        case METHOD_LZ4 -> out.writeBytes(Lz4Block.decode(framed, payload, payloadLength, uncompressedSize));
        default ->
            throw new IOException(
                "unsupported compression method 0x"
                    + Integer.toHexString(method)
                    + "; send LZ4 (the client default)");
      }
      pos = blockStart + compressedSize;
    }
    return out.toByteArray();
  }

  private static byte[] literalOnlyBlock(byte[] data, int offset, int length) {
    ByteArrayOutputStream block = new ByteArrayOutputStream(length + length / 255 + 16);
    block.write(METHOD_LZ4);
    writeInt(block, 0); // compressed size, patched below
    writeInt(block, length);
    if (length >= 15) {
      block.write(0xF0);
      int rest = length - 15;
      while (rest >= 255) {
        block.write(255);
        rest -= 255;
      }
      block.write(rest);
    } else {
      block.write(length << 4);
    }
    block.write(data, offset, length);
    byte[] bytes = block.toByteArray();
    int size = bytes.length;
    bytes[1] = (byte) size;
    bytes[2] = (byte) (size >>> 8);
    bytes[3] = (byte) (size >>> 16);
    bytes[4] = (byte) (size >>> 24);
    return bytes;
  }

  private static void writeInt(ByteArrayOutputStream out, int value) {
    out.write(value);
    out.write(value >>> 8);
    out.write(value >>> 16);
    out.write(value >>> 24);
  }

  private static void writeLong(ByteArrayOutputStream out, long value) {
    for (int i = 0; i < 8; i++) {
      out.write((int) (value >>> (8 * i)));
    }
  }

  private static int readInt(byte[] data, int pos) {
    return (data[pos] & 0xff)
        | (data[pos + 1] & 0xff) << 8
        | (data[pos + 2] & 0xff) << 16
        | (data[pos + 3] & 0xff) << 24;
  }

  private static long readLong(byte[] data, int pos) {
    return (readInt(data, pos) & 0xffffffffL) | ((long) readInt(data, pos + 4) << 32);
  }

  /** The LZ4 block format decoder (sequences of literals and back-references). */
  static final class Lz4Block {
    private Lz4Block() {}

    static byte[] decode(byte[] src, int offset, int length, int uncompressedSize) throws IOException {
      if (uncompressedSize < 0) {
        throw new IOException("negative uncompressed size");
      }
      byte[] dst = new byte[uncompressedSize];
      int in = offset;
      int end = offset + length;
      int out = 0;
      try {
        while (in < end) {
          int token = src[in++] & 0xff;
          int literals = token >>> 4;
          if (literals == 15) {
            int b;
            do {
              b = src[in++] & 0xff;
              literals += b;
            } while (b == 255);
          }
          System.arraycopy(src, in, dst, out, literals);
          in += literals;
          out += literals;
          if (in >= end) {
            break; // the last sequence has literals only
          }
          int matchOffset = (src[in] & 0xff) | (src[in + 1] & 0xff) << 8;
          in += 2;
          if (matchOffset == 0 || matchOffset > out) {
            throw new IOException("corrupt LZ4 block: match offset " + matchOffset);
          }
          int matchLength = token & 0x0f;
          if (matchLength == 15) {
            int b;
            do {
              b = src[in++] & 0xff;
              matchLength += b;
            } while (b == 255);
          }
          matchLength += 4;
          int from = out - matchOffset;
          for (int i = 0; i < matchLength; i++) {
            dst[out++] = dst[from + i]; // byte by byte: a match may overlap its own output
          }
        }
      } catch (ArrayIndexOutOfBoundsException e) {
        throw new IOException("corrupt LZ4 block", e);
      }
      if (out != uncompressedSize) {
        throw new IOException("LZ4 block decoded to " + out + " bytes, expected " + uncompressedSize);
      }
      return dst;
    }
  }
}
