package dev.agentwatch.alerts;

import dev.agentwatch.model.Finding;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns a {@link Finding} into an {@link Alert}.
 *
 * <p>Labels: {@code alertname} (the detector), {@code severity}, {@code tenant}, {@code agent},
 * {@code agent_version}, {@code run_id} (run findings), then the finding's own labels. Empty
 * values are left out, as Alertmanager does. A finding label can never replace one of the
 * reserved labels: a detector that copies span attributes into labels must not let a payload
 * re-route itself to another tenant's receiver.
 *
 * <p>How a finding says its condition cleared (documented contract with the detectors):
 * <ul>
 *   <li>evidence {@code state=resolved} ({@link Finding#announcesResolution}): the condition with
 *       this fingerprint has cleared now;</li>
 *   <li>evidence {@code ends_at=<ISO-8601 instant or epoch millis>}: the alert ends at that time
 *       unless a later finding extends it (for window findings: the window end);</li>
 *   <li>otherwise the alert resolves {@code resolve_timeout} (default 5m) after the last firing
 *       finding with its fingerprint: rate-style detectors re-emit while the condition holds.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class AlertFactory {
    public static final String ENDS_AT_EVIDENCE = "ends_at";
    static final Set<String> RESERVED_LABELS = Set.of("alertname", "severity", "tenant", "agent", "agent_version", "run_id");

    private final LinkTemplates links;

    public AlertFactory(LinkTemplates links) {
        this.links = links;
    }

    /** The alert for {@code finding}, observed at {@code nowEpochMillis}. */
    public Alert alertOf(Finding finding, long nowEpochMillis) {
        Map<String, String> labels = new TreeMap<>();
        finding.labels().forEach((name, value) -> {
            if (!RESERVED_LABELS.contains(name) && !value.isEmpty()) {
                labels.put(name, value);
            }
        });
        putIfPresent(labels, "alertname", finding.detector());
        putIfPresent(labels, "severity", finding.severity().label());
        putIfPresent(labels, "tenant", finding.tenant());
        putIfPresent(labels, "agent", finding.agentName());
        putIfPresent(labels, "agent_version", finding.agentVersion());
        putIfPresent(labels, "run_id", finding.runId());

        String link = links.render(Map.of("run_id", finding.runId(), "tenant", finding.tenant(),
                "agent", finding.agentName(), "detector", finding.detector(), "fingerprint", finding.fingerprint()));
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", finding.summary());
        annotations.put("evidence", new TreeMap<>(finding.evidence()).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        if (!link.isEmpty()) {
            annotations.put("links", link);
        }
        annotations.put("finding_fingerprint", finding.fingerprint());
        putIfPresent(annotations, "subject_id", finding.subjectId());
        putIfPresent(annotations, "step_id", finding.stepId());

        long startsAt = finding.detectedEpochMillis() > 0 ? finding.detectedEpochMillis() : nowEpochMillis;
        long resolvedAt = finding.announcesResolution() ? nowEpochMillis : 0;
        return new Alert(finding.fingerprint(), labels, annotations, startsAt, nowEpochMillis, endsAtOf(finding),
                resolvedAt, link);
    }

    /**
     * The explicit end from {@code ends_at} evidence, 0 if absent.
     *
     * @throws IllegalArgumentException if present but neither an ISO-8601 instant nor epoch millis
     */
    static long endsAtOf(Finding finding) {
        String text = finding.evidence().get(ENDS_AT_EVIDENCE);
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            return text.chars().allMatch(Character::isDigit) ? Long.parseLong(text) : Instant.parse(text).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("evidence ends_at must be an ISO-8601 instant or epoch millis, got '" + text + "'");
        }
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isEmpty()) {
            map.put(key, value);
        }
    }
}
