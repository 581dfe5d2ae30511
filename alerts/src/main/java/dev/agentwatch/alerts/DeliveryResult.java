package dev.agentwatch.alerts;

/** How a delivery ended. */
sealed interface DeliveryResult {
    int attempts();

    /** The receiver answered 2xx. */
    record Delivered(int status, int attempts) implements DeliveryResult {
    }

    /**
     * The receiver refused (a 4xx other than 429) or stayed unreachable past the retry budget.
     *
     * @param reason machine-readable, e.g. {@code http_400}, {@code retries_exhausted}
     * @param detail for the operator
     */
    record Failed(String reason, String detail, int attempts) implements DeliveryResult {
    }
}
