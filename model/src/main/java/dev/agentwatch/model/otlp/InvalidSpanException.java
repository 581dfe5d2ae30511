package dev.agentwatch.model.otlp;

import java.util.Locale;
import java.util.Objects;

/**
 * A span that cannot become a step because its identity or its times are broken. The collector
 * rejects a span with broken ids (OTLP partial success; it checks ids on the wire, not times),
 * counts it under {@link Reason#label()} and keeps the rest of the request; the detectors
 * dead-letter any such span they receive under the same reason, and map the rest of its trace.
 * Missing or odd attributes never cause this: only ids and times do.
 */
public final class InvalidSpanException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a span was rejected; {@link #label()} is the metric {@code reason} tag. */
    public enum Reason {
        /** trace id missing, not 16 bytes, or all zero */
        INVALID_TRACE_ID,
        /** span id missing, not 8 bytes, or all zero */
        INVALID_SPAN_ID,
        /** parent span id present but not 8 bytes */
        INVALID_PARENT_SPAN_ID,
        /** start or end time past what a signed 64-bit count of nanoseconds holds (the year 2262) */
        INVALID_TIME;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public InvalidSpanException(Reason reason, String message) {
        super(Objects.requireNonNull(reason, "reason").label() + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
