package dev.agentwatch.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeOutputTest {
    @Test
    void writesOneBlockColumnByColumnWithArraysAsEndOffsetsThenEntries() throws IOException {
        NativeOutput out = new NativeOutput(List.of("id", "tags"), 2);
        out.string("a").stringArray(List.of("x", "yz"));
        out.string("b").stringArray(List.of());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        out.writeTo(bytes);
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.write(new byte[] {2, 2});
        want.writeBytes(string("id"));
        want.writeBytes(string("String"));
        want.writeBytes(new byte[] {1, 'a', 1, 'b'});
        want.writeBytes(string("tags"));
        want.writeBytes(string("Array(String)"));
        want.writeBytes(new byte[] {2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0});
        want.writeBytes(new byte[] {1, 'x', 2, 'y', 'z'});
        assertThat(bytes.toByteArray()).isEqualTo(want.toByteArray());
    }

    @Test
    void writesAMapAsEndOffsetsThenAllKeysThenAllValues() throws IOException {
        NativeOutput out = new NativeOutput(List.of("labels"), 1);
        out.stringMap(Map.of("k", "v"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        out.writeTo(bytes);
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.write(new byte[] {1, 1});
        want.writeBytes(string("labels"));
        want.writeBytes(string("Map(String, String)"));
        want.writeBytes(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 1, 'k', 1, 'v'});
        assertThat(bytes.toByteArray()).isEqualTo(want.toByteArray());
    }

    @Test
    void refusesAnIncompleteRow() {
        NativeOutput out = new NativeOutput(List.of("a", "b"), 1);
        out.string("x").int64(1).string("y");
        assertThat(out.rows()).isEqualTo(1);
        assertThatThrownBy(() -> out.writeTo(new ByteArrayOutputStream()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("row 1 is incomplete");
    }

    @Test
    void refusesARowWhoseValueIsOfAnotherTypeThanItsColumn() {
        NativeOutput out = new NativeOutput(List.of("a"), 2);
        out.int64(1);
        assertThatThrownBy(() -> out.string("1"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("column a is Int64 but row 1 writes String");
    }

    @Test
    void refusesAnEmptyBlock() {
        assertThatThrownBy(() -> new NativeOutput(List.of("a"), 0).writeTo(new ByteArrayOutputStream()))
                .isInstanceOf(IllegalStateException.class);
    }

    private static byte[] string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        byte[] prefixed = new byte[utf8.length + 1];
        prefixed[0] = (byte) utf8.length;
        System.arraycopy(utf8, 0, prefixed, 1, utf8.length);
        return prefixed;
    }
}
