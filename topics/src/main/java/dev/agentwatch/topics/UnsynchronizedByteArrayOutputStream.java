package dev.agentwatch.topics;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@link java.io.ByteArrayOutputStream} without its locks, for codecs that write a record field
 * by field through a {@link java.io.DataOutputStream} (see
 * {@link UnsynchronizedByteArrayInputStream} for why). One thread per stream; not thread-safe.
 */
public final class UnsynchronizedByteArrayOutputStream extends OutputStream {
    private byte[] bytes;
    private int size;

    /** Starts with room for {@code initialCapacity} bytes, and doubles when that is not enough. */
    public UnsynchronizedByteArrayOutputStream(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initial capacity must not be negative: " + initialCapacity);
        }
        this.bytes = new byte[initialCapacity];
    }

    @Override
    public void write(int b) {
        ensureRoom(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, source.length);
        ensureRoom(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    /** The bytes written so far. */
    public int size() {
        return size;
    }

    /** A copy of the bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensureRoom(int more) {
        int needed = size + more;
        if (needed < 0) {
            throw new OutOfMemoryError("more than 2 GiB written to a byte array");
        }
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, 2L * bytes.length + 16)));
        }
    }
}
