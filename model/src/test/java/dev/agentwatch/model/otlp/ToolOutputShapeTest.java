package dev.agentwatch.model.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToolOutputShapeTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "ERROR: WeatherService 503: city not found",
            "Error: order not found",
            "  error",
            "Exception in thread main",
            "Traceback (most recent call last):\n  File ...",
            "ValueError: bad city",
            "java.io.IOException: broken pipe",
            "Failed to reach payments",
            "Request failed with status code 503",
            "Permission denied",
            "404 Not Found",
            "429 Too Many Requests",
            "HTTP/1.1 500 Internal Server Error",
            "503: upstream down",
            "Internal Server Error",
            "{\"error\":\"no such order\"}",
            "{\"error\":{\"code\":42}}",
            "{\"errors\":[\"bad\"]}",
            "{\"isError\":true,\"content\":[]}",
            "{\"success\":false}",
            "{\"status\":\"failed\"}",
            "{\"status\":502}",
            "\"Error: quoted by a JSON encoder\""})
    void flagsErrorShapedOutput(String output) {
        assertThat(ToolOutputShape.looksLikeError(output)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "   ",
            "{\"city\":\"Paris\",\"tempC\":21}",
            "Errors found: 0",
            "Errorless run",
            "450 results",
            "200 OK",
            "{\"error\":null,\"data\":1}",
            "{\"error\":\"\"}",
            "{\"errors\":[]}",
            "{\"success\":true}",
            "[\"error\"]",
            "The error rate is 2%",
            "Order shipped; no errors",
            "\"fine\""})
    void acceptsOrdinaryOutput(String output) {
        assertThat(ToolOutputShape.looksLikeError(output)).isFalse();
    }
}
