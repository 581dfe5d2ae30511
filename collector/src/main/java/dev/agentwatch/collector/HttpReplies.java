package dev.agentwatch.collector;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Writing HTTP answers: bodies, OTLP error bodies ({@code google.rpc.Status}), media types. */
final class HttpReplies {
    static final String PROTOBUF = "application/x-protobuf";
    static final String JSON = "application/json";

    private HttpReplies() {
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
        send(exchange, status, JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An OTLP error answer: a {@code google.rpc.Status} in the request's encoding, with
     * {@code RetryInfo} and a {@code Retry-After} header when the client should retry.
     */
    static void reject(HttpExchange exchange, Rejection rejection, boolean json) throws IOException {
        Status.Builder status = Status.newBuilder()
                .setCode(rejection.grpcCode().value())
                .setMessage(rejection.getMessage());
        if (rejection.retryAfterSeconds() > 0) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(rejection.retryAfterSeconds()));
            status.addDetails(Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(Duration.newBuilder().setSeconds(rejection.retryAfterSeconds())).build()));
        }
        if (json) {
            sendJson(exchange, rejection.httpStatus(), OtlpJson.print(status));
        } else {
            send(exchange, rejection.httpStatus(), PROTOBUF, status.build().toByteArray());
        }
    }

    /** The media type of a Content-Type header, lower case, without parameters; "" when absent. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    /** The declared body length, or -1 when absent or chunked. */
    static long contentLength(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
