package dev.agentwatch.embedded.clickhouse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Encodes rows of {@code (id UInt64, text String, value Float64)} as RowBinary, for tests. */
final class RowBinaryRows {

  static final String COLUMNS = "id UInt64, text String, value Float64";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteBuffer scratch = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
  private int rows;

  RowBinaryRows add(long id, String text, double value) {
    writeLong(id);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    writeVarUInt(bytes.length);
    out.writeBytes(bytes);
    writeLong(Double.doubleToRawLongBits(value));
    rows++;
    return this;
  }

  int rows() {
    return rows;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private void writeLong(long value) {
    scratch.clear();
    scratch.putLong(value);
    out.write(scratch.array(), 0, 8);
  }

  private void writeVarUInt(long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
