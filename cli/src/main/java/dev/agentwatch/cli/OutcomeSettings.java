package dev.agentwatch.cli;

import dev.agentwatch.detectors.outcomes.OutcomeReconciliationConfig;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The {@code outcomes.*} settings as an {@link OutcomeReconciliationConfig}, failing with the setting's name. */
final class OutcomeSettings {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(s|m|h|d)");

    private OutcomeSettings() {
    }

    static OutcomeReconciliationConfig from(Settings settings) {
        return new OutcomeReconciliationConfig(
                words(settings, "outcomes.success.vocabulary"),
                words(settings, "outcomes.failure.vocabulary"),
                words(settings, "outcomes.neutral.vocabulary"),
                decimal(settings, "outcomes.judge.approval.threshold"),
                decimal(settings, "outcomes.review.below.confidence"),
                decimal(settings, "outcomes.audit.share"),
                Duration.ofDays(settings.integer("outcomes.retention.days")),
                Duration.ofSeconds(settings.integer("outcomes.subject.settle.seconds")),
                agentDurations(settings, "outcomes.expected.windows"),
                Duration.ofHours(settings.integer("outcomes.rate.window.hours")),
                Duration.ofHours(settings.integer("outcomes.rate.baseline.hours")),
                settings.integer("outcomes.rate.min.window.runs"),
                settings.integer("outcomes.rate.min.baseline.runs"));
    }

    private static Set<String> words(Settings settings, String key) {
        return Arrays.stream(settings.string(key).split(",")).map(String::strip).filter(word -> !word.isEmpty())
                .collect(Collectors.toSet());
    }

    private static double decimal(Settings settings, String key) {
        try {
            return Double.parseDouble(settings.string(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be a number like 0.05, got '"
                    + settings.string(key) + "'");
        }
    }

    /** {@code agent=72h, other=7d}: durations as {@code <n>s|m|h|d} or ISO-8601 ({@code PT72H}). */
    static Map<String, Duration> agentDurations(Settings settings, String key) {
        Map<String, Duration> durations = new LinkedHashMap<>();
        settings.map(key).forEach((agent, text) -> durations.put(agent, duration(key, agent, text)));
        return durations;
    }

    static Duration duration(String key, String agent, String text) {
        Matcher matcher = SHORT_DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("setting " + key + " gives agent '" + agent + "' the duration '" + text
                    + "'; write it like 72h, 7d, 30m or PT72H");
        }
    }
}
