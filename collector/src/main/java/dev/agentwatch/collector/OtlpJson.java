package dev.agentwatch.collector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * OTLP/JSON for traces: the proto3 JSON mapping with OTLP's one deviation, trace and span ids as
 * hex strings rather than base64 (a stock {@link JsonFormat} would misread them). Enums as
 * integers, 64-bit integers as strings or numbers, lowerCamelCase keys; unknown fields are
 * ignored. An id that is not hex becomes empty, so the span is refused for its id like any other
 * (partial success), not the whole request. Thread-safe.
 */
public final class OtlpJson {
    /** JSON tokens per request at most: about 10,000 spans (an OTel SDK batch is 512). */
    static final long MAX_TOKENS = 2_000_000;
    private static final ObjectMapper MAPPER = RequestBodies.jsonMapper(MAX_TOKENS);
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final HexFormat HEX = HexFormat.of();
    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();
    private static final List<String> SPAN_IDS = List.of("traceId", "spanId", "parentSpanId");
    private static final List<String> LINK_IDS = List.of("traceId", "spanId");

    private OtlpJson() {
    }

    /** Parses an OTLP/JSON trace export. */
    public static ExportTraceServiceRequest parseRequest(byte[] json) throws InvalidProtocolBufferException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new InvalidProtocolBufferException("malformed JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidProtocolBufferException("an OTLP/JSON body is a JSON object with \"resourceSpans\"");
        }
        for (JsonNode resourceSpans : root.path("resourceSpans")) {
            for (JsonNode scopeSpans : resourceSpans.path("scopeSpans")) {
                for (JsonNode span : scopeSpans.path("spans")) {
                    if (span instanceof ObjectNode object) {
                        hexToBase64(object, SPAN_IDS);
                        for (JsonNode link : span.path("links")) {
                            if (link instanceof ObjectNode linkObject) {
                                hexToBase64(linkObject, LINK_IDS);
                            }
                        }
                    }
                }
            }
        }
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        try {
            PARSER.merge(MAPPER.writeValueAsString(root), request);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidProtocolBufferException("not an OTLP/JSON ExportTraceServiceRequest: " + firstLine(e.getMessage()));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new InvalidProtocolBufferException("not an OTLP/JSON ExportTraceServiceRequest: " + firstLine(e.getMessage()));
        }
        return request.build();
    }

    /** Prints a trace export as OTLP/JSON, ids in hex. */
    public static String printRequest(ExportTraceServiceRequest request) {
        try {
            JsonNode root = MAPPER.readTree(PRINTER.print(request));
            for (JsonNode resourceSpans : root.path("resourceSpans")) {
                for (JsonNode scopeSpans : resourceSpans.path("scopeSpans")) {
                    for (JsonNode span : scopeSpans.path("spans")) {
                        base64ToHex((ObjectNode) span, SPAN_IDS);
                        for (JsonNode link : span.path("links")) {
                            base64ToHex((ObjectNode) link, LINK_IDS);
                        }
                    }
                }
            }
            return MAPPER.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot print OTLP/JSON", e);
        }
    }

    /** Prints any OTLP message without ids (responses, google.rpc.Status) as JSON. */
    public static String print(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
        }
    }

    private static void hexToBase64(ObjectNode object, List<String> fields) {
        for (String field : fields) {
            JsonNode id = object.get(field);
            if (id == null || id.isNull()) {
                continue;
            }
            String hex = id.isTextual() ? id.asText() : "";
            byte[] bytes;
            try {
                bytes = hex.length() % 2 == 0 ? HEX.parseHex(hex) : new byte[0];
            } catch (IllegalArgumentException e) {
                bytes = new byte[0];
            }
            object.put(field, BASE64.encodeToString(bytes));
        }
    }

    private static void base64ToHex(ObjectNode object, List<String> fields) {
        for (String field : fields) {
            JsonNode id = object.get(field);
            if (id != null && id.isTextual()) {
                object.put(field, HEX.formatHex(BASE64_DECODER.decode(id.asText())));
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 300 ? line.substring(0, 300) : line;
    }
}
