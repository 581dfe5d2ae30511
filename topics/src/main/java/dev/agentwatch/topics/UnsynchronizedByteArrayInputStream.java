package dev.agentwatch.topics;

import java.io.InputStream;
import java.util.Objects;

/**
 * {@link java.io.ByteArrayInputStream} without its locks, for codecs that read a record field by
 * field through a {@link java.io.DataInputStream}: every {@code readLong}, {@code readUTF} length
 * and varint byte there is a call to this stream, which the JDK's class makes under its monitor
 * (a seventh of a stream thread's samples, once). One thread per stream; not thread-safe.
 */
public final class UnsynchronizedByteArrayInputStream extends InputStream {
    private final byte[] bytes;
    private final int end;
    private int position;

    /** Reads {@code length} bytes of {@code bytes} from {@code offset}; the array is not copied. */
    public UnsynchronizedByteArrayInputStream(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        this.bytes = bytes;
        this.position = offset;
        this.end = offset + length;
    }

    public UnsynchronizedByteArrayInputStream(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    @Override
    public int read() {
        return position < end ? bytes[position++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, target.length);
        if (length == 0) {
            return 0;
        }
        if (position >= end) {
            return -1;
        }
        int count = Math.min(length, end - position);
        System.arraycopy(bytes, position, target, offset, count);
        position += count;
        return count;
    }

    @Override
    public long skip(long count) {
        long skipped = Math.max(0, Math.min(count, end - position));
        position += (int) skipped;
        return skipped;
    }

    @Override
    public int available() {
        return end - position;
    }
}
