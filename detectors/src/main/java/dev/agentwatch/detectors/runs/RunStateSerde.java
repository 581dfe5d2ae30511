package dev.agentwatch.detectors.runs;

import dev.agentwatch.model.Step;
import dev.agentwatch.topics.StepCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Binary serde of {@link RunState}, versioned by its first byte. Thread-safe. */
final class RunStateSerde implements Serde<RunState> {
    private static final int VERSION = 1;

    @Override
    public Serializer<RunState> serializer() {
        return (topic, state) -> state == null ? null : encode(state);
    }

    @Override
    public Deserializer<RunState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    static byte[] encode(RunState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 * state.steps().size() + 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(state.steps().size());
            for (Step step : state.steps()) {
                StepCodec.write(step, out);
            }
            RunState.Overflow o = state.overflow();
            out.writeInt(o.steps());
            out.writeInt(o.llmCalls());
            out.writeInt(o.toolCalls());
            out.writeInt(o.errors());
            out.writeInt(o.handoffs());
            out.writeLong(o.inputTokens());
            out.writeLong(o.outputTokens());
            out.writeDouble(o.costUsd());
            out.writeLong(o.startEpochNanos());
            out.writeLong(o.endEpochNanos());
            out.writeLong(state.lastActivityMillis());
            out.writeBoolean(state.closed());
            out.writeInt(state.revision());
            out.writeLong(state.closedAtMillis());
            out.writeInt(state.lateSteps());
            out.writeInt(state.emitted().size());
            for (String fingerprint : state.emitted()) {
                out.writeUTF(fingerprint);
            }
        } catch (IOException e) {
            throw new SerializationException("cannot encode run state", e);
        }
        return bytes.toByteArray();
    }

    static RunState decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new SerializationException("unknown run state version " + version);
            }
            int count = in.readInt();
            List<Step> steps = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                steps.add(StepCodec.read(in));
            }
            RunState.Overflow overflow = new RunState.Overflow(in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                    in.readInt(), in.readLong(), in.readLong(), in.readDouble(), in.readLong(), in.readLong());
            long lastActivity = in.readLong();
            boolean closed = in.readBoolean();
            int revision = in.readInt();
            long closedAt = in.readLong();
            int late = in.readInt();
            int emittedCount = in.readInt();
            Set<String> emitted = new LinkedHashSet<>();
            for (int i = 0; i < emittedCount; i++) {
                emitted.add(in.readUTF());
            }
            return new RunState(steps, overflow, lastActivity, closed, revision, closedAt, late, emitted);
        } catch (IOException | IllegalArgumentException e) {
            throw new SerializationException("cannot decode run state", e);
        }
    }
}
