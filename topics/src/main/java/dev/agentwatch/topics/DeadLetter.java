package dev.agentwatch.topics;

import java.util.Objects;

/**
 * A record that a pipeline could not process, kept with the reason so nothing is lost silently.
 *
 * @param sourceTopic     where the record came from
 * @param partition       its partition, -1 when unknown
 * @param offset          its offset, -1 when unknown
 * @param stage           the pipeline stage that gave up, e.g. "normalize"
 * @param reason          a short machine-readable reason, e.g. "undecodable_protobuf"
 * @param detail          a human-readable explanation
 * @param tenant          tenant header of the record, empty when absent
 * @param key             the original key as text, empty when absent
 * @param value           the original value bytes
 * @param failedAtMillis  when the failure was recorded (processing time, for operators)
 */
public record DeadLetter(String sourceTopic, int partition, long offset, String stage, String reason, String detail,
                         String tenant, String key, byte[] value, long failedAtMillis) {
    public DeadLetter {
        Objects.requireNonNull(sourceTopic, "sourceTopic");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(key, "key");
        value = value == null ? new byte[0] : value.clone();
    }
}
