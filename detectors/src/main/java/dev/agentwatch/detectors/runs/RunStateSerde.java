package dev.agentwatch.detectors.runs;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepBatch;
import dev.agentwatch.topics.StepCodec;
import dev.agentwatch.topics.Topics;
import dev.agentwatch.topics.UnsynchronizedByteArrayInputStream;
import dev.agentwatch.topics.UnsynchronizedByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binary serde of {@link RunState}, versioned by its first byte. Kafka Streams stores bytes, so a
 * run's state is decoded and encoded again for every step that arrives (the run assembler's
 * largest cost); each step is therefore kept length-prefixed (version 2) and remembered per
 * thread in both directions, so only the new step is encoded and only steps not seen lately are
 * decoded. Version 3 adds the ids of the steps not kept; version 4 the findings kept as emitted
 * (JSON, as on the findings topic; 0 bytes for a fingerprint kept alone). Versions 3, 2 (without
 * step ids) and 1 (no prefixes either) are still read; older releases cannot read version 4.
 * Thread-safe.
 */
final class RunStateSerde implements Serde<RunState> {
    private static final Logger LOG = LoggerFactory.getLogger(RunStateSerde.class);
    private static final int VERSION = 4;
    private static final int VERSION_WITHOUT_EMITTED_FINDINGS = 3;
    private static final int VERSION_WITHOUT_OVERFLOW_IDS = 2;
    private static final int VERSION_UNPREFIXED_STEPS = 1;
    private static final ThreadLocal<StepMemo> MEMO = ThreadLocal.withInitial(StepMemo::new);
    private static final Serializer<Finding> FINDING_JSON = Topics.FINDINGS.valueSerde().serializer();
    private static final Deserializer<Finding> FINDING_JSON_IN = Topics.FINDINGS.valueSerde().deserializer();

    /** Steps and their encodings seen lately by this thread; forgotten wholesale past a bound. */
    private static final class StepMemo {
        // Steps of the runs active in the last moments; a few MiB per stream thread.
        private static final int MAX_ENTRIES = 10_000;
        private final Map<Step, byte[]> encodings = new IdentityHashMap<>();
        private final Map<Encoding, Step> steps = new HashMap<>();

        byte[] encoded(Step step) throws IOException {
            byte[] bytes = encodings.get(step);
            if (bytes == null) {
                UnsynchronizedByteArrayOutputStream out = new UnsynchronizedByteArrayOutputStream(256);
                try (DataOutputStream data = new DataOutputStream(out)) {
                    StepCodec.write(step, data);
                }
                bytes = out.toByteArray();
                remember(step, Encoding.of(bytes));
            }
            return bytes;
        }

        Step decoded(byte[] bytes) throws IOException {
            Encoding key = Encoding.of(bytes);
            Step step = steps.get(key);
            if (step == null) {
                try (DataInputStream in = new DataInputStream(new UnsynchronizedByteArrayInputStream(bytes))) {
                    step = StepCodec.read(in);
                    if (in.available() > 0) {
                        throw new IOException(in.available() + " bytes left over after a step");
                    }
                }
                remember(step, key);
            }
            return step;
        }

        private void remember(Step step, Encoding encoding) {
            if (encodings.size() >= MAX_ENTRIES || steps.size() >= MAX_ENTRIES) {
                encodings.clear();
                steps.clear();
            }
            encodings.put(step, encoding.bytes());
            steps.put(encoding, step);
        }
    }

    /** Encoded bytes compared by content, hashed once (a lookup and a put share the key). */
    private record Encoding(byte[] bytes, int hash) {
        static Encoding of(byte[] bytes) {
            return new Encoding(bytes, Arrays.hashCode(bytes));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Encoding e && hash == e.hash && Arrays.equals(bytes, e.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * The size of a step's encoding in a run state (without its length prefix). The encoding is
     * remembered, so the state's serializer does not encode the step again.
     */
    static int encodedSize(Step step) {
        try {
            return MEMO.get().encoded(step).length;
        } catch (IOException e) {
            throw new SerializationException("cannot encode step " + step.stepId(), e);
        }
    }

    /**
     * Steps as {@code agentwatch_steps} carries them: each step's encoding as a run state keeps it
     * (both are {@link StepCodec}'s), framed by {@link Topics#STEP_BATCH_FORMAT}, so the span
     * normalizer's two children (the topic and the assembler) encode each step once between them.
     */
    static byte[] stepsTopicRecord(StepBatch batch) {
        StepMemo memo = MEMO.get();
        UnsynchronizedByteArrayOutputStream fields = new UnsynchronizedByteArrayOutputStream(512 * batch.steps().size());
        try (DataOutputStream out = new DataOutputStream(fields)) {
            out.writeInt(batch.steps().size());
            for (Step step : batch.steps()) {
                out.write(memo.encoded(step));
            }
        } catch (IOException e) {
            throw new SerializationException("cannot encode the steps of run " + batch.runId(), e);
        }
        return Topics.STEP_BATCH_FORMAT.framed(fields.toByteArray());
    }

    /** The size of a finding's encoding in a run state. */
    static int findingBytes(Finding finding) {
        return FINDING_JSON.serialize(Topics.FINDINGS.name(), finding).length;
    }

    @Override
    public Serializer<RunState> serializer() {
        return (topic, state) -> state == null ? null : encode(state);
    }

    @Override
    public Deserializer<RunState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    static byte[] encode(RunState state) {
        // Sized for the steps (their encodings and length prefixes) and the fixed fields: growing
        // it as it filled copied the state again (2% of the bytes the whole stack allocated).
        int capacity = state.stepBytes() + 4 * state.steps().size() + 256;
        UnsynchronizedByteArrayOutputStream bytes = new UnsynchronizedByteArrayOutputStream(capacity);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(state.steps().size());
            StepMemo memo = MEMO.get();
            for (Step step : state.steps()) {
                byte[] encoded = memo.encoded(step);
                out.writeInt(encoded.length);
                out.write(encoded);
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
            List<Map.Entry<String, Optional<Finding>>> emitted = List.copyOf(state.emitted().entrySet());
            out.writeInt(emitted.size());
            for (Map.Entry<String, Optional<Finding>> entry : emitted) {
                out.writeUTF(entry.getKey());
            }
            StepIdSet ids = o.stepIds();
            out.writeInt(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                out.writeLong(ids.key(i));
            }
            // In the order of the fingerprints above; 0 bytes: not kept.
            for (Map.Entry<String, Optional<Finding>> entry : emitted) {
                byte[] json = entry.getValue().map(f -> FINDING_JSON.serialize(Topics.FINDINGS.name(), f)).orElse(new byte[0]);
                out.writeInt(json.length);
                out.write(json);
            }
        } catch (IOException e) {
            throw new SerializationException("cannot encode run state", e);
        }
        return bytes.toByteArray();
    }

    static RunState decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new UnsynchronizedByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version < VERSION_UNPREFIXED_STEPS || version > VERSION) {
                throw new SerializationException("unknown run state version " + version);
            }
            int count = in.readInt();
            List<Step> steps = new ArrayList<>(count);
            int stepBytes = 0;
            StepMemo memo = MEMO.get();
            for (int i = 0; i < count; i++) {
                if (version != VERSION_UNPREFIXED_STEPS) {
                    byte[] encoded = new byte[in.readInt()];
                    in.readFully(encoded);
                    steps.add(memo.decoded(encoded));
                    stepBytes += encoded.length;
                } else {
                    Step step = StepCodec.read(in);
                    steps.add(step);
                    stepBytes += memo.encoded(step).length;
                }
            }
            int overflowSteps = in.readInt();
            int llmCalls = in.readInt();
            int toolCalls = in.readInt();
            int errors = in.readInt();
            int handoffs = in.readInt();
            long inputTokens = in.readLong();
            long outputTokens = in.readLong();
            double costUsd = in.readDouble();
            long start = in.readLong();
            long end = in.readLong();
            long lastActivity = in.readLong();
            boolean closed = in.readBoolean();
            int revision = in.readInt();
            long closedAt = in.readLong();
            int late = in.readInt();
            int emittedCount = in.readInt();
            List<String> fingerprints = new ArrayList<>();
            for (int i = 0; i < emittedCount; i++) {
                fingerprints.add(in.readUTF());
            }
            StepIdSet ids = StepIdSet.EMPTY;
            if (version > VERSION_WITHOUT_OVERFLOW_IDS) {
                int idCount = in.readInt();
                if (idCount < 0 || idCount > RunState.MAX_STEP_IDS) {
                    throw new IOException("implausible count of step ids: " + idCount);
                }
                long[] keys = new long[idCount];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = in.readLong();
                }
                ids = StepIdSet.ofKeys(keys);
            }
            Map<String, Optional<Finding>> emitted = new LinkedHashMap<>();
            for (String fingerprint : fingerprints) {
                emitted.put(fingerprint, version > VERSION_WITHOUT_EMITTED_FINDINGS ? readFinding(in) : Optional.empty());
            }
            RunState.Overflow overflow = new RunState.Overflow(overflowSteps, llmCalls, toolCalls, errors, handoffs,
                    inputTokens, outputTokens, costUsd, start, end, ids);
            return new RunState(steps, stepBytes, overflow, lastActivity, closed, revision, closedAt, late, emitted);
        } catch (IOException | IllegalArgumentException e) {
            throw new SerializationException("cannot decode run state", e);
        }
    }

    private static Optional<Finding> readFinding(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a finding of " + length + " bytes where " + in.available() + " are left");
        }
        if (length == 0) {
            return Optional.empty();
        }
        byte[] json = new byte[length];
        in.readFully(json);
        try {
            return Optional.of(FINDING_JSON_IN.deserialize(Topics.FINDINGS.name(), json));
        } catch (SerializationException e) {
            // Only kept to be resolved: a finding that no longer reads (a later Finding refusing an
            // older one) is not worth the run, which would stop the stream thread with it.
            LOG.atWarn().setMessage("finding kept in a run state no longer reads; it will not be resolved")
                    .addKeyValue("bytes", length).setCause(e).log();
            return Optional.empty();
        }
    }
}
