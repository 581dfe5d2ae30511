package dev.agentwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {

    private static ExportTraceServiceRequest parse(String json) throws InvalidProtocolBufferException {
        return OtlpJson.parseRequest(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A small body of empty objects would make millions of tree nodes: refused by its token count. */
    @Test
    void refusesABodyWithMoreTokensThanItsCap() {
        String body = "{\"resourceSpans\":[" + "{},".repeat((int) (OtlpJson.MAX_TOKENS / 2)) + "{}]}";

        assertThatThrownBy(() -> OtlpJson.parseRequest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(com.google.protobuf.InvalidProtocolBufferException.class)
                .hasMessageContaining("Token count (2000001) exceeds the maximum");
    }

    @Test
    void readsTheOfficialExampleWithHexIdsAndIntegerEnums() throws Exception {
        ExportTraceServiceRequest request = OtlpJson.parseRequest(SharedReference.read("captures/trace.json"));

        Span span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray())).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(HexFormat.of().formatHex(span.getSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b174");
        assertThat(HexFormat.of().formatHex(span.getParentSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b173");
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
        assertThat(span.getName()).isEqualTo("I'm a server span");
        assertThat(request.getResourceSpans(0).getScopeSpans(0).getScope().getName()).isEqualTo("my.library");
    }

    @Test
    void printsAndReadsBackTheSameRequest() throws Exception {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(TraceSplitterTest.resourceSpans("svc", TraceSplitterTest.span(5, 9)))
                .build();

        String json = OtlpJson.printRequest(request);

        assertThat(json).contains("\"traceId\":\"" + TraceSplitterTest.traceHex(5) + "\"")
                .contains("\"spanId\":\"0000000000000009\"").contains("\"startTimeUnixNano\":\"1000\"");
        assertThat(parse(json)).isEqualTo(request);
    }

    @Test
    void acceptsInt64AsNumbersAndIgnoresUnknownFields() throws Exception {
        ExportTraceServiceRequest request = parse("""
                {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0102030405060708090a0b0c0d0e0f10",
                 "spanId":"0102030405060708","name":"n","startTimeUnixNano":1700000000000000000,"kind":3,
                 "status":{"code":2},"futureField":{"x":1},
                 "attributes":[{"key":"k","value":{"intValue":"42"}}]}]}]}]}""");

        Span span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(span.getStartTimeUnixNano()).isEqualTo(1700000000000000000L);
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(span.getStatus().getCodeValue()).isEqualTo(2);
        assertThat(span.getAttributes(0).getValue().getIntValue()).isEqualTo(42);
    }

    @Test
    void turnsIdsThatAreNotHexIntoEmptyIdsForTheSplitterToRefuse() throws Exception {
        ExportTraceServiceRequest request = parse("""
                {"resourceSpans":[{"scopeSpans":[{"spans":[
                  {"traceId":"zz02030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","name":"bad"},
                  {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","name":"good"}]}]}]}""");

        var split = new TraceSplitter().split(request);

        assertThat(split.rejectedSpans()).isEqualTo(1);
        assertThat(split.acceptedSpans()).isEqualTo(1);
    }

    @Test
    void saysWhatIsWrongWithABadBody() {
        assertThatThrownBy(() -> parse("{\"resourceSpans\":[")).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> parse("[]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> parse("{} trailing")).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> parse("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"soon\"}]}]}]}"))
                .hasMessageContaining("not an OTLP/JSON ExportTraceServiceRequest");
    }

    @Test
    void printsPartialSuccessWithInt64AsString() {
        String json = OtlpJson.print(ExportTraceServiceResponse.newBuilder()
                .setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(3).setErrorMessage("bad ids"))
                .build());

        assertThat(json).isEqualTo("{\"partialSuccess\":{\"rejectedSpans\":\"3\",\"errorMessage\":\"bad ids\"}}");
    }
}
