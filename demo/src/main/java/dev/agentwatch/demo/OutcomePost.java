package dev.agentwatch.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One ground-truth outcome for {@code POST /v1/outcomes}: names the run, or only its subject when
 * the reporting system knows no trace ids.
 *
 * @param runId       trace id, empty when only the subject is known
 * @param subjectId   business key, empty when the run id is given
 * @param verdict     {@code correct}, {@code incorrect} or {@code partial}
 * @param actualValue what really happened
 * @param source      {@code human_review}, {@code customer}, {@code downstream_system} or {@code judge}
 * @param observedAt  when the truth was observed
 * @param reason      short reason, no personal data
 * @param attributes  free attributes
 */
public record OutcomePost(String runId, String subjectId, String verdict, String actualValue, String source,
                          Instant observedAt, String reason, Map<String, String> attributes) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public OutcomePost {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(subjectId, "subjectId");
        if (runId.isEmpty() == subjectId.isEmpty()) {
            throw new IllegalArgumentException("an outcome names either the run id or the subject id");
        }
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(actualValue, "actualValue");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(observedAt, "observedAt");
        Objects.requireNonNull(reason, "reason");
        attributes = Map.copyOf(attributes);
    }

    static OutcomePost of(RunPlan plan, String runId, GroundTruth truth, String fleetId) {
        return new OutcomePost(truth.bySubject() ? "" : runId, truth.bySubject() ? plan.subjectId() : "",
                truth.verdict(), truth.actualValue(), truth.source(), truth.observedAt(), truth.reason(),
                Map.of("fleet_id", fleetId, "agent", plan.agent().agentName()));
    }

    /** The request body. */
    public String toJson() {
        ObjectNode body = JSON.createObjectNode();
        if (!runId.isEmpty()) {
            body.put("run_id", runId);
        }
        if (!subjectId.isEmpty()) {
            body.put("subject_id", subjectId);
        }
        body.put("verdict", verdict)
                .put("actual_value", actualValue)
                .put("source", source)
                .put("observed_at", observedAt.toString())
                .put("reason", reason);
        ObjectNode attrs = body.putObject("attributes");
        attributes.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> attrs.put(e.getKey(), e.getValue()));
        return body.toString();
    }
}
