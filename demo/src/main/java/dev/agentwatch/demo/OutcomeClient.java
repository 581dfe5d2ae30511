package dev.agentwatch.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Posts outcomes to the collector's outcome API ({@code POST {base}/v1/outcomes}, JSON, API key
 * as a bearer token). Retries 429 and 503 after the server's {@code Retry-After} (seconds or an
 * HTTP date; capped), 502/504 and connection failures with exponential backoff; any other 4xx or
 * 5xx fails at once with the status and the server's message. Thread-safe.
 */
public final class OutcomeClient {
    /** Waits between attempts; tests substitute one that records instead of sleeping. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final int MAX_BODY_CHARS = 300;

    private final URI endpoint;
    private final String apiKey;
    private final HttpClient http;
    private final int maxAttempts;
    private final Duration maxWait;
    private final Sleeper sleeper;

    OutcomeClient(URI baseUrl, String apiKey, HttpClient http, int maxAttempts, Duration maxWait, Sleeper sleeper) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        this.endpoint = baseUrl.resolve("/v1/outcomes");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.http = Objects.requireNonNull(http, "http");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Five attempts, waits capped at 30 s. */
    public static OutcomeClient create(URI baseUrl, String apiKey) {
        return new OutcomeClient(baseUrl, apiKey,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                5, Duration.ofSeconds(30), d -> Thread.sleep(d.toMillis()));
    }

    /**
     * Posts one outcome, retrying what can succeed later.
     *
     * @throws OutcomeRejectedException when the server refuses it or attempts run out
     */
    public void post(OutcomePost outcome) {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(outcome.toJson(), StandardCharsets.UTF_8))
                .build();
        OutcomeRejectedException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Duration wait;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return;
                }
                String message = "outcome API answered " + status + " to " + endpoint + ": " + excerpt(response.body());
                last = new OutcomeRejectedException(status, message, null);
                if (status == 429 || status == 503) {
                    wait = retryAfter(response).orElse(backoff(attempt));
                } else if (status == 502 || status == 504) {
                    wait = backoff(attempt);
                } else {
                    throw last;
                }
            } catch (IOException e) {
                last = new OutcomeRejectedException(0, "cannot reach the outcome API at " + endpoint + ": " + e, e);
                wait = backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OutcomeRejectedException(0, "interrupted while posting an outcome", e);
            }
            if (attempt < maxAttempts) {
                try {
                    sleeper.sleep(min(wait, maxWait));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new OutcomeRejectedException(last.status(), "interrupted while waiting to retry: " + last.getMessage(), e);
                }
            }
        }
        throw new OutcomeRejectedException(last.status(), "gave up after " + maxAttempts + " attempts: " + last.getMessage(),
                last.getCause());
    }

    /** {@code Retry-After} as a wait: delta-seconds or an HTTP date; absent or unreadable: empty. */
    static java.util.Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> parseRetryAfter(value, Instant.now()));
    }

    static java.util.Optional<Duration> parseRetryAfter(String value, Instant now) {
        String v = value.strip();
        OptionalLong seconds = parseSeconds(v);
        if (seconds.isPresent()) {
            return java.util.Optional.of(Duration.ofSeconds(seconds.getAsLong()));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration until = Duration.between(now, at);
            return java.util.Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException e) {
            return java.util.Optional.empty();
        }
    }

    private static OptionalLong parseSeconds(String v) {
        if (v.isEmpty() || !v.chars().allMatch(Character::isDigit) || v.length() > 9) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(v));
    }

    private static Duration backoff(int attempt) {
        return Duration.ofMillis(200L << Math.min(attempt - 1, 6));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String excerpt(String body) {
        String oneLine = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_BODY_CHARS ? oneLine : oneLine.substring(0, MAX_BODY_CHARS) + "...";
    }
}
