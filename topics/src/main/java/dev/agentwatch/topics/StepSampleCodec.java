package dev.agentwatch.topics;

import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepSample;
import dev.agentwatch.model.StepSamples;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary forms of step samples on {@code agentwatch_step_samples}: {@link StepSamples} since
 * format version 2, with what the samples share written once; and a single {@link StepSample},
 * format version 1, still read.
 */
final class StepSampleCodec {
    /** A sample's own fields take at least this many bytes: an empty step id, 4 longs, a flag and a double. */
    private static final int MIN_OWN_BYTES = 2 + 8 + 8 + 1 + 8 + 8 + 8;

    private StepSampleCodec() {
    }

    static void writeBatch(StepSamples batch, DataOutputStream out) throws IOException {
        StepSample first = batch.samples().getFirst();
        StepCodec.utf(out, first.tenant());
        StepCodec.utf(out, first.agentName());
        StepCodec.utf(out, first.agentVersion());
        StepCodec.utf(out, first.kind().name());
        StepCodec.utf(out, first.name());
        StepCodec.utf(out, first.model());
        StepCodec.utf(out, first.runId());
        StepCodec.utf(out, first.subjectId());
        out.writeInt(batch.samples().size());
        for (StepSample s : batch.samples()) {
            StepCodec.utf(out, s.stepId());
            out.writeLong(s.endEpochNanos());
            out.writeLong(s.durationNanos());
            out.writeBoolean(s.failed());
            out.writeLong(s.inputTokens());
            out.writeLong(s.outputTokens());
            out.writeDouble(s.costUsd());
        }
    }

    static StepSamples readBatch(DataInputStream in) throws IOException {
        String tenant = StepCodec.readUtf(in);
        String agentName = StepCodec.readUtf(in);
        String agentVersion = StepCodec.readUtf(in);
        StepKind kind = StepKind.valueOf(StepCodec.readUtf(in));
        String name = StepCodec.readUtf(in);
        String model = StepCodec.readUtf(in);
        String runId = StepCodec.readUtf(in);
        String subjectId = StepCodec.readUtf(in);
        int count = in.readInt();
        // Checked before allocating: a corrupt count must not size a list.
        if (count < 1 || count > in.available() / MIN_OWN_BYTES) {
            throw new IOException("step samples count " + count + " does not fit the " + in.available() + " bytes left");
        }
        List<StepSample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            samples.add(new StepSample(tenant, agentName, agentVersion, kind, name, model, runId, StepCodec.readUtf(in),
                    subjectId, in.readLong(), in.readLong(), in.readBoolean(), in.readLong(), in.readLong(),
                    in.readDouble()));
        }
        return new StepSamples(samples);
    }

    static void write(StepSample s, DataOutputStream out) throws IOException {
        StepCodec.utf(out, s.tenant());
        StepCodec.utf(out, s.agentName());
        StepCodec.utf(out, s.agentVersion());
        StepCodec.utf(out, s.kind().name());
        StepCodec.utf(out, s.name());
        StepCodec.utf(out, s.model());
        StepCodec.utf(out, s.runId());
        StepCodec.utf(out, s.stepId());
        StepCodec.utf(out, s.subjectId());
        out.writeLong(s.endEpochNanos());
        out.writeLong(s.durationNanos());
        out.writeBoolean(s.failed());
        out.writeLong(s.inputTokens());
        out.writeLong(s.outputTokens());
        out.writeDouble(s.costUsd());
    }

    static StepSample read(DataInputStream in) throws IOException {
        return new StepSample(StepCodec.readUtf(in), StepCodec.readUtf(in), StepCodec.readUtf(in), StepKind.valueOf(StepCodec.readUtf(in)), StepCodec.readUtf(in),
                StepCodec.readUtf(in), StepCodec.readUtf(in), StepCodec.readUtf(in), StepCodec.readUtf(in), in.readLong(), in.readLong(), in.readBoolean(),
                in.readLong(), in.readLong(), in.readDouble());
    }
}
