package dev.agentwatch.collector;

/**
 * Why a request is refused: the HTTP status (mapped to a gRPC status for OTLP/gRPC), a counter
 * reason and a message for the client. Thrown inside the request path and turned into a
 * response at its edge.
 */
final class Rejection extends Exception {
    private final int httpStatus;
    private final String reason;
    private final long retryAfterSeconds;

    Rejection(int httpStatus, String reason, String message) {
        this(httpStatus, reason, message, 0);
    }

    Rejection(int httpStatus, String reason, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    int httpStatus() {
        return httpStatus;
    }

    /** Counter reason, e.g. {@code undecodable_protobuf}. */
    String reason() {
        return reason;
    }

    /** Seconds the client should wait before retrying; 0 when it should not retry. */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The google.rpc code matching the HTTP status, as OTLP maps them. */
    io.grpc.Status.Code grpcCode() {
        return switch (httpStatus) {
            case 400, 415 -> io.grpc.Status.Code.INVALID_ARGUMENT;
            case 401 -> io.grpc.Status.Code.UNAUTHENTICATED;
            case 413, 429 -> io.grpc.Status.Code.RESOURCE_EXHAUSTED;
            case 503 -> io.grpc.Status.Code.UNAVAILABLE;
            default -> io.grpc.Status.Code.INTERNAL;
        };
    }

    static Rejection kafkaUnavailable(String why) {
        return new Rejection(503, "kafka_unavailable", "not stored, retry later: " + why, 5);
    }
}
