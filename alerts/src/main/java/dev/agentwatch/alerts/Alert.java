package dev.agentwatch.alerts;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One alert: the state of one finding condition (one finding fingerprint) as the notifier sees it.
 * Times are epoch milliseconds; {@code 0} means "not set".
 *
 * @param fingerprint          the finding's fingerprint: the alert's identity across re-deliveries
 * @param labels               routing labels (alertname, severity, tenant, agent, ... and the finding's labels)
 * @param annotations          summary, evidence, links
 * @param startsAtEpochMillis  when the condition was first detected
 * @param lastSeenEpochMillis  when the notifier last received a firing finding for it (processing time)
 * @param endsAtEpochMillis    explicit end announced by the finding ({@code ends_at} evidence), 0 if none
 * @param resolvedAtEpochMillis when a finding said the condition cleared ({@code state=resolved}), 0 if not
 * @param generatorUrl         link back to the run or agent in Grafana, may be empty
 */
public record Alert(String fingerprint, Map<String, String> labels, Map<String, String> annotations,
                    long startsAtEpochMillis, long lastSeenEpochMillis, long endsAtEpochMillis,
                    long resolvedAtEpochMillis, String generatorUrl) {
    public Alert {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(generatorUrl, "generatorUrl");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        if (fingerprint.isEmpty()) {
            throw new IllegalArgumentException("alert fingerprint must not be empty");
        }
    }

    /**
     * When the alert stops firing: the announced resolution, else the explicit end, else
     * {@code resolveTimeout} after it was last seen.
     */
    public long effectiveEndEpochMillis(Duration resolveTimeout) {
        if (resolvedAtEpochMillis > 0) {
            return resolvedAtEpochMillis;
        }
        if (endsAtEpochMillis > 0) {
            return endsAtEpochMillis;
        }
        return lastSeenEpochMillis + resolveTimeout.toMillis();
    }

    public boolean isResolvedAt(long nowEpochMillis, Duration resolveTimeout) {
        return effectiveEndEpochMillis(resolveTimeout) <= nowEpochMillis;
    }

    /**
     * This alert updated by a newer observation of the same fingerprint. A condition that had
     * already ended starts over (new startsAt); one still firing keeps its start.
     */
    public Alert updatedBy(Alert newer, long nowEpochMillis, Duration resolveTimeout) {
        if (newer.resolvedAtEpochMillis > 0) {
            return new Alert(fingerprint, labels, annotations, startsAtEpochMillis, lastSeenEpochMillis, endsAtEpochMillis,
                    resolvedAtEpochMillis > 0 ? resolvedAtEpochMillis : newer.resolvedAtEpochMillis, generatorUrl);
        }
        if (isResolvedAt(nowEpochMillis, resolveTimeout)) {
            return newer;
        }
        return new Alert(fingerprint, newer.labels, newer.annotations, startsAtEpochMillis, newer.lastSeenEpochMillis,
                newer.endsAtEpochMillis, 0, newer.generatorUrl);
    }
}
