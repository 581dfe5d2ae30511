package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.model.Run;
import dev.agentwatch.topics.JsonSerde;
import dev.agentwatch.topics.Topics;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A {@link ReconcileEvent} as one tag byte followed by the variant: a run in the binary form of
 * {@code agentwatch_runs} (one per closed run, so the common case), the others as JSON. Runs
 * tagged {@code 'R'} (JSON, earlier releases) are still read. Thread-safe.
 */
final class ReconcileEventSerde implements Serde<ReconcileEvent> {
    private static final byte RUN = 'r';
    private static final byte JSON_RUN = 'R';
    private static final byte OUTCOME = 'O';
    private static final byte FINDING = 'F';

    private final Serde<Run> runs = Topics.RUNS.valueSerde();
    private final Serde<ReconcileEvent.RunArrived> jsonRuns = JsonSerde.of(ReconcileEvent.RunArrived.class);
    private final Serde<ReconcileEvent.OutcomeArrived> outcomes = JsonSerde.of(ReconcileEvent.OutcomeArrived.class);
    private final Serde<ReconcileEvent.FindingArrived> findings = JsonSerde.of(ReconcileEvent.FindingArrived.class);

    @Override
    public Serializer<ReconcileEvent> serializer() {
        return (topic, event) -> switch (event) {
            case null -> null;
            case ReconcileEvent.RunArrived arrived -> tagged(RUN, runs.serializer().serialize(topic, arrived.run()));
            case ReconcileEvent.OutcomeArrived outcome -> tagged(OUTCOME, outcomes.serializer().serialize(topic, outcome));
            case ReconcileEvent.FindingArrived finding -> tagged(FINDING, findings.serializer().serialize(topic, finding));
        };
    }

    @Override
    public Deserializer<ReconcileEvent> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length == 0) {
                throw new SerializationException("empty reconcile event on " + topic);
            }
            byte[] body = Arrays.copyOfRange(bytes, 1, bytes.length);
            return switch (bytes[0]) {
                case RUN -> new ReconcileEvent.RunArrived(runs.deserializer().deserialize(topic, body));
                case JSON_RUN -> jsonRuns.deserializer().deserialize(topic, body);
                case OUTCOME -> outcomes.deserializer().deserialize(topic, body);
                case FINDING -> findings.deserializer().deserialize(topic, body);
                default -> throw new SerializationException("unknown reconcile event tag " + bytes[0] + " on " + topic);
            };
        };
    }

    private static byte[] tagged(byte tag, byte[] body) {
        byte[] out = new byte[body.length + 1];
        out[0] = tag;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }
}
