package dev.agentwatch.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    @Test
    void sortsKeysAndSpellsNumbersOneWay() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("b", 1.50);
        a.put("a", List.of(1, 2L, new BigDecimal("3.0")));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("a", List.of(1L, 2, 3));
        b.put("b", new BigDecimal("1.5"));

        assertThat(CanonicalJson.of(a)).isEqualTo(CanonicalJson.of(b)).isEqualTo("{\"a\":[1,2,3],\"b\":1.5}");
    }

    @Test
    void escapesStringsAndWritesNullsAndBooleans() {
        assertThat(CanonicalJson.of(Arrays.asList("q\"\n\u0001", null, true))).isEqualTo("[\"q\\\"\\n\\u0001\",null,true]");
    }

    @Test
    void zeroHasOneSpelling() {
        assertThat(CanonicalJson.of(List.of(0.0, 0L, new BigDecimal("0.000")))).isEqualTo("[0,0,0]");
    }
}
