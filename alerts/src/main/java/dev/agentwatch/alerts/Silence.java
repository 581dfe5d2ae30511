package dev.agentwatch.alerts;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Mutes the alerts its matchers all match, from {@code startsAt} until {@code endsAt}. Expiring a
 * silence sets its end to now; silences are never deleted, so the history stays visible.
 *
 * @param id                   random id
 * @param matchers             all must match; at least one must not match an empty label set
 * @param startsAtEpochMillis  start
 * @param endsAtEpochMillis    end (exclusive)
 * @param createdBy            who
 * @param comment              why
 * @param updatedAtEpochMillis last change
 */
public record Silence(String id, List<LabelMatcher> matchers, long startsAtEpochMillis, long endsAtEpochMillis,
                      String createdBy, String comment, long updatedAtEpochMillis) {
    public Silence {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(comment, "comment");
        matchers = List.copyOf(matchers);
        if (matchers.isEmpty()) {
            throw new IllegalArgumentException("a silence needs at least one matcher");
        }
        if (matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
            throw new IllegalArgumentException("a silence needs at least one matcher that does not match an empty label set, "
                    + "or it would mute everything");
        }
        if (endsAtEpochMillis <= startsAtEpochMillis) {
            throw new IllegalArgumentException("a silence must end after it starts");
        }
    }

    /** {@code pending}, {@code active} or {@code expired} at {@code nowEpochMillis}. */
    public String state(long nowEpochMillis) {
        if (nowEpochMillis < startsAtEpochMillis) {
            return "pending";
        }
        return nowEpochMillis < endsAtEpochMillis ? "active" : "expired";
    }

    /** Whether this silence mutes {@code labels} at {@code nowEpochMillis}. */
    public boolean mutes(Map<String, String> labels, long nowEpochMillis) {
        return state(nowEpochMillis).equals("active") && matchers.stream().allMatch(m -> m.matches(labels));
    }

    /** This silence ended at {@code nowEpochMillis} (or unchanged if it already had). */
    public Silence expiredAt(long nowEpochMillis) {
        if (endsAtEpochMillis <= nowEpochMillis) {
            return this;
        }
        long start = Math.min(startsAtEpochMillis, nowEpochMillis - 1);
        return new Silence(id, matchers, start, nowEpochMillis, createdBy, comment, nowEpochMillis);
    }
}
