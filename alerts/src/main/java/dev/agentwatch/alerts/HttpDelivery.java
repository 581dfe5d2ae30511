package dev.agentwatch.alerts;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts one request with retries: on timeouts, connection errors, 429 and 5xx it backs off
 * ({@link RetryPolicy}, honouring {@code Retry-After}); any other non-2xx answer is final.
 * Retries are decided by status code and exception type only. Signs each attempt afresh so the
 * timestamp is current. Thread-safe.
 */
final class HttpDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDelivery.class);
    /** A receiver asking for a longer pause than this is treated as unavailable. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
    private static final int MAX_ERROR_BODY_CHARS = 200;

    private final HttpClient http;
    private final RetryPolicy policy;
    private final Clock clock;
    private final RandomGenerator random;
    private final AlertsMetrics metrics;

    HttpDelivery(HttpClient http, RetryPolicy policy, Clock clock, RandomGenerator random, AlertsMetrics metrics) {
        this.http = http;
        this.policy = policy;
        this.clock = clock;
        this.random = random;
        this.metrics = metrics;
    }

    /** Delivers {@code request} to {@code receiver}; throws only when interrupted (nothing is then settled). */
    DeliveryResult deliver(Receiver receiver, OutgoingRequest request, String notificationId) throws InterruptedException {
        String lastProblem = "";
        for (int attempt = 1; attempt <= policy.maxAttempts(); attempt++) {
            Duration retryAfter = null;
            try {
                HttpResponse<String> response = http.send(httpRequest(receiver, request),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return new DeliveryResult.Delivered(status, attempt);
                }
                lastProblem = "HTTP " + status + " " + abbreviate(response.body());
                if (status != 429 && status < 500) {
                    return new DeliveryResult.Failed("http_" + status, lastProblem, attempt);
                }
                retryAfter = response.headers().firstValue("Retry-After").map(this::parseRetryAfter).orElse(null);
                if (retryAfter != null && retryAfter.compareTo(MAX_RETRY_AFTER) > 0) {
                    return new DeliveryResult.Failed("retry_after_too_long", lastProblem + ", Retry-After " + retryAfter, attempt);
                }
            } catch (HttpTimeoutException e) {
                lastProblem = "timeout after " + receiver.timeout().toMillis() + " ms";
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (attempt < policy.maxAttempts()) {
                Duration wait = policy.backoffBefore(attempt, retryAfter, random);
                metrics.recordRetry(receiver.name());
                LOG.atInfo().setMessage("delivery failed, retrying").addKeyValue("receiver", receiver.name())
                        .addKeyValue("notification_id", notificationId).addKeyValue("attempt", attempt)
                        .addKeyValue("problem", lastProblem).addKeyValue("wait_ms", wait.toMillis()).log();
                Thread.sleep(wait);
            }
        }
        return new DeliveryResult.Failed("retries_exhausted", policy.maxAttempts() + " attempts, last: " + lastProblem,
                policy.maxAttempts());
    }

    private HttpRequest httpRequest(Receiver receiver, OutgoingRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.url())
                .timeout(receiver.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "agentwatch-alerts")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(builder::header);
        if (!request.signingSecret().isEmpty()) {
            builder.header(WebhookSignature.HEADER,
                    WebhookSignature.sign(request.signingSecret(), clock.instant().getEpochSecond(), request.body()));
        }
        return builder.build();
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when unreadable. */
    Duration parseRetryAfter(String value) {
        String text = value.strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(text)));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(clock.instant(), when.toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static String abbreviate(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_ERROR_BODY_CHARS ? oneLine : oneLine.substring(0, MAX_ERROR_BODY_CHARS) + "…";
    }
}
