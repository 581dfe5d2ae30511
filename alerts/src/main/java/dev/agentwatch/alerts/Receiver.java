package dev.agentwatch.alerts;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where notifications go. URLs and secrets come only from the routing config, never from
 * findings. Every variant has a name, a URL, whether it wants resolved notifications, a
 * per-attempt timeout and a rate limit ({@code maxPerMinute}, 0 = none).
 */
public sealed interface Receiver {
    String name();

    URI url();

    boolean sendResolved();

    Duration timeout();

    int maxPerMinute();

    /** The kind, as written in the config: {@code webhook}, {@code pagerduty} or {@code slack}. */
    String kind();

    /**
     * Generic webhook with an Alertmanager-compatible (version 4) body, signed with HMAC-SHA256.
     *
     * @param secret    shared signing secret
     * @param maxAlerts alerts per notification, 0 = no limit (the rest are counted in truncatedAlerts)
     */
    record Webhook(String name, URI url, String secret, boolean sendResolved, Duration timeout, int maxPerMinute,
                   int maxAlerts) implements Receiver {
        public Webhook {
            checkCommon(name, url, timeout, maxPerMinute);
            Objects.requireNonNull(secret, "secret");
            if (maxAlerts < 0) {
                throw new IllegalArgumentException("max_alerts must not be negative");
            }
        }

        @Override
        public String kind() {
            return "webhook";
        }

        @Override
        public String toString() {
            return "Webhook[name=" + name + ", url=" + url + ", secret=***]";
        }
    }

    /**
     * PagerDuty Events API v2: trigger on firing, resolve when the group resolves, one
     * {@code dedup_key} per group.
     *
     * @param routingKey integration key (a secret)
     * @param source     the {@code payload.source} field
     */
    record PagerDuty(String name, URI url, String routingKey, String source, boolean sendResolved, Duration timeout,
                     int maxPerMinute) implements Receiver {
        public PagerDuty {
            checkCommon(name, url, timeout, maxPerMinute);
            Objects.requireNonNull(routingKey, "routingKey");
            Objects.requireNonNull(source, "source");
        }

        @Override
        public String kind() {
            return "pagerduty";
        }

        @Override
        public String toString() {
            return "PagerDuty[name=" + name + ", url=" + url + ", routingKey=***]";
        }
    }

    /** Slack incoming webhook (the URL itself is the secret). */
    record Slack(String name, URI url, boolean sendResolved, Duration timeout, int maxPerMinute) implements Receiver {
        public Slack {
            checkCommon(name, url, timeout, maxPerMinute);
        }

        @Override
        public String kind() {
            return "slack";
        }

        @Override
        public String toString() {
            return "Slack[name=" + name + ", url=" + redactedUrl(url) + "]";
        }
    }

    /** The URL without path and query, for logs and dry runs: Slack puts its secret in the path. */
    static String redactedUrl(URI url) {
        return url.getScheme() + "://" + url.getAuthority() + (url.getPath() == null || url.getPath().isEmpty() ? "" : "/***");
    }

    private static void checkCommon(String name, URI url, Duration timeout, int maxPerMinute) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (maxPerMinute < 0) {
            throw new IllegalArgumentException("max_per_minute must not be negative");
        }
    }
}
