package dev.agentwatch.collector;

/**
 * Why a request is refused: the HTTP status, a counter reason and a message for the client.
 * Thrown inside the request path and turned into a response at its edge.
 */
final class HttpRejection extends Exception {
    private final int status;
    private final String reason;
    private final long retryAfterSeconds;

    HttpRejection(int status, String reason, String message) {
        this(status, reason, message, 0);
    }

    HttpRejection(int status, String reason, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    int status() {
        return status;
    }

    String reason() {
        return reason;
    }

    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
