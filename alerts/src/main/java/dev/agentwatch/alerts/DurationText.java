package dev.agentwatch.alerts;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Alertmanager and Prometheus write them: {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 4h}, {@code 1d}, or combinations such as {@code 1h30m}.
 */
final class DurationText {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

    private DurationText() {
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} saying what is accepted. */
    static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        String trimmed = text.strip();
        Matcher part = PART.matcher(trimmed);
        Duration total = Duration.ZERO;
        int position = 0;
        while (part.find() && part.start() == position) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofDays(7 * amount);
            });
            position = part.end();
        }
        if (position != trimmed.length() || position == 0) {
            throw new IllegalArgumentException("bad duration '" + text + "': use a number and a unit (ms, s, m, h, d, w), e.g. 30s, 5m, 1h30m");
        }
        return total;
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
