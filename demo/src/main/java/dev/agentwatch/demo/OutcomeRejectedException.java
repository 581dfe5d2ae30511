package dev.agentwatch.demo;

/**
 * The outcome API refused an outcome, or kept failing until the client gave up. Carries the HTTP
 * status (0 when no answer came) and the start of the response body.
 */
public final class OutcomeRejectedException extends RuntimeException {
    private final int status;

    OutcomeRejectedException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The last HTTP status, 0 when the server never answered. */
    public int status() {
        return status;
    }

    /** Whether trying the same outcome again later could succeed. */
    public boolean retryable() {
        return status == 0 || status == 429 || status >= 500;
    }
}
