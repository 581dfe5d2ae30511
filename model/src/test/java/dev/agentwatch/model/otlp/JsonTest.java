package dev.agentwatch.model.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesNestedValues() {
        Object value = Json.parse(" {\"a\": [1, 2.50, true, null, \"x\\n\\u00e9\"], \"b\": {}} ").orElseThrow();

        assertThat(value).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        List<Object> a = (List<Object>) ((Map<?, ?>) value).get("a");
        assertThat(a).containsExactly(new BigDecimal("1"), new BigDecimal("2.50"), true, Json.NULL, "x\né");
    }

    @Test
    void answersEmptyForMalformedOrTruncatedText() {
        assertThat(Json.parse("{\"a\":1")).isEmpty();
        assertThat(Json.parse("{\"a\":1} trailing")).isEmpty();
        assertThat(Json.parse("Paris")).isEmpty();
        assertThat(Json.parse("")).isEmpty();
        assertThat(Json.parse("\"\\u12\"")).isEmpty();
        assertThat(Json.parseObject("[1]")).isEmpty();
    }

    @Test
    void refusesHostileNesting() {
        assertThat(Json.parse("[".repeat(10_000) + "]".repeat(10_000))).isEmpty();
        assertThat(Json.parse("1e999999999")).isEmpty();
    }

    @Test
    void canonicalFormIgnoresKeyOrderSpacingAndNumberSpelling() {
        String a = Json.canonicalText("{ \"b\": [1.0, {\"y\":2,\"x\":1}], \"a\": \"q\\\"\" }");
        String b = Json.canonicalText("{\"a\":\"q\\\"\",\"b\":[1,{\"x\":1.00,\"y\":2}]}");

        assertThat(a).isEqualTo(b).isEqualTo("{\"a\":\"q\\\"\",\"b\":[1,{\"x\":1,\"y\":2}]}");
        assertThat(Json.canonicalText("Paris")).isEqualTo("Paris");
        assertThat(Json.canonicalText("{broken")).isEqualTo("{broken");
    }
}
