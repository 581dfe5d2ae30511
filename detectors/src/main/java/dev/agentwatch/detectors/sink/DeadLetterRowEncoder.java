package dev.agentwatch.detectors.sink;

import dev.agentwatch.clickhouse.RowEncoder;
import dev.agentwatch.clickhouse.RowOutput;
import dev.agentwatch.topics.DeadLetter;
import java.util.List;

/**
 * {@link DeadLetter} as a row of {@code dead_letters}: what failed and why, not the payload
 * (which stays in the topic and may hold content we do not store). Stateless.
 */
public final class DeadLetterRowEncoder implements RowEncoder<DeadLetter> {
    private static final List<String> COLUMNS = List.of("failed_at", "stage", "reason", "detail", "source_topic",
            "partition", "offset", "tenant", "record_key", "value_bytes");

    @Override
    public String table() {
        return "dead_letters";
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public void encode(DeadLetter letter, RowOutput out) {
        out.dateTime64Millis(letter.failedAtMillis())
                .string(letter.stage())
                .string(letter.reason())
                .string(letter.detail().length() > 1024 ? letter.detail().substring(0, 1024) : letter.detail())
                .string(letter.sourceTopic())
                .uint32(letter.partition())
                .int64(letter.offset())
                .string(letter.tenant())
                .string(letter.key())
                .int64(letter.value().length);
    }
}
