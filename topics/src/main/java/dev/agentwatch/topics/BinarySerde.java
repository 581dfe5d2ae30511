package dev.agentwatch.topics;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A versioned binary serde for the high-volume records between our own pipelines (a record per
 * span), where JSON was a large share of the stream threads' CPU and of the bytes. The first byte
 * is the format version; a record that starts with {@code '{'} is the JSON written by earlier
 * releases and is still read, so an upgrade does not strand what is in the topics; a topic whose
 * records changed type reads its earlier binary format too ({@link #upgrading}). A record that
 * is neither, or has bytes left over, is refused with a {@link SerializationException} (the
 * pipelines dead-letter it). Thread-safe.
 */
public final class BinarySerde<T> implements Serde<T> {
    /** Writes one value's fields. */
    @FunctionalInterface
    public interface Writer<T> {
        void write(T value, DataOutputStream out) throws IOException;
    }

    /** Reads one value's fields, as the matching {@link Writer} wrote them. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private final Class<T> type;
    private final int version;
    private final Writer<T> writer;
    private final Reader<T> reader;
    private final JsonSerde<T> legacyJson;
    /** The topic's earlier format, or null: then only JSON is read besides this version. */
    private final BinarySerde<?> earlierFormat;
    /** Reads a record of the earlier format as this type; null when there is none. */
    private final BiFunction<String, byte[], T> earlier;

    private BinarySerde(Class<T> type, int version, Writer<T> writer, Reader<T> reader, BinarySerde<?> earlierFormat,
                        BiFunction<String, byte[], T> earlier) {
        if (version == '{' || version < 1 || version > 127) {
            throw new IllegalArgumentException("version must be 1..127 and not '{': " + version);
        }
        this.type = type;
        this.version = version;
        this.writer = writer;
        this.reader = reader;
        this.legacyJson = JsonSerde.of(type);
        this.earlierFormat = earlierFormat;
        this.earlier = earlier;
    }

    public static <T> BinarySerde<T> of(Class<T> type, int version, Writer<T> writer, Reader<T> reader) {
        return new BinarySerde<>(type, version, writer, reader, null, null);
    }

    /**
     * This format, reading also every record that {@code earlier} reads (the topic's earlier
     * format, with its own version and JSON), turned into this type by {@code upgrade}: for a
     * topic whose records changed type. Writes only this format.
     */
    public <E> BinarySerde<T> upgrading(BinarySerde<E> earlier, Function<E, T> upgrade) {
        if (earlier.reads(version)) {
            throw new IllegalArgumentException("the earlier format reads this format's version " + version);
        }
        Deserializer<E> old = earlier.deserializer();
        return new BinarySerde<>(type, version, writer, reader, earlier,
                (topic, bytes) -> upgrade.apply(old.deserialize(topic, bytes)));
    }

    /** Whether a record starting with this byte is one this serde reads (if it is well-formed). */
    private boolean reads(int firstByte) {
        return firstByte == version || (earlierFormat == null ? firstByte == '{' : earlierFormat.reads(firstByte));
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : encode(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(topic, bytes);
    }

    /**
     * Fields already written by this serde's writer, framed as its serializer frames a value (the
     * format version first): for a caller that has the fields at hand and would otherwise encode
     * the value again.
     */
    public byte[] framed(byte[] fields) {
        byte[] record = new byte[fields.length + 1];
        record[0] = (byte) version;
        System.arraycopy(fields, 0, record, 1, fields.length);
        return record;
    }

    private byte[] encode(T value) {
        UnsynchronizedByteArrayOutputStream bytes = new UnsynchronizedByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(version);
            writer.write(value, out);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName(), e);
        }
        return bytes.toByteArray();
    }

    private T decode(String topic, byte[] bytes) {
        if (earlier != null && bytes.length > 0 && bytes[0] != version && earlierFormat.reads(bytes[0])) {
            return earlier.apply(topic, bytes);
        }
        if (bytes.length > 0 && bytes[0] == '{') {
            return legacyJson.deserializer().deserialize(topic, bytes);
        }
        if (bytes.length == 0 || bytes[0] != version) {
            throw new SerializationException("cannot read " + type.getSimpleName() + " on " + topic + ": format version "
                    + (bytes.length == 0 ? "missing" : bytes[0] & 0xFF) + ", expected " + version);
        }
        UnsynchronizedByteArrayInputStream input = new UnsynchronizedByteArrayInputStream(bytes, 1, bytes.length - 1);
        try (DataInputStream in = new DataInputStream(input)) {
            T value = reader.read(in);
            if (input.available() > 0) {
                throw new SerializationException("cannot read " + type.getSimpleName() + " on " + topic + ": "
                        + input.available() + " bytes left over");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException serialization) {
                throw serialization;
            }
            throw new SerializationException("cannot read " + type.getSimpleName() + " on " + topic + ": " + e, e);
        }
    }
}
