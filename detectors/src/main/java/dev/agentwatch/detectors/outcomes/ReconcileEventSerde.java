package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.topics.JsonSerde;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A {@link ReconcileEvent} as one tag byte followed by the variant's JSON. Thread-safe. */
final class ReconcileEventSerde implements Serde<ReconcileEvent> {
    private static final byte RUN = 'R';
    private static final byte OUTCOME = 'O';
    private static final byte FINDING = 'F';

    private final Serde<ReconcileEvent.RunArrived> runs = JsonSerde.of(ReconcileEvent.RunArrived.class);
    private final Serde<ReconcileEvent.OutcomeArrived> outcomes = JsonSerde.of(ReconcileEvent.OutcomeArrived.class);
    private final Serde<ReconcileEvent.FindingArrived> findings = JsonSerde.of(ReconcileEvent.FindingArrived.class);

    @Override
    public Serializer<ReconcileEvent> serializer() {
        return (topic, event) -> switch (event) {
            case null -> null;
            case ReconcileEvent.RunArrived run -> tagged(RUN, runs.serializer().serialize(topic, run));
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
            byte[] json = Arrays.copyOfRange(bytes, 1, bytes.length);
            return switch (bytes[0]) {
                case RUN -> runs.deserializer().deserialize(topic, json);
                case OUTCOME -> outcomes.deserializer().deserialize(topic, json);
                case FINDING -> findings.deserializer().deserialize(topic, json);
                default -> throw new SerializationException("unknown reconcile event tag " + bytes[0] + " on " + topic);
            };
        };
    }

    private static byte[] tagged(byte tag, byte[] json) {
        byte[] out = new byte[json.length + 1];
        out[0] = tag;
        System.arraycopy(json, 0, out, 1, json.length);
        return out;
    }
}
