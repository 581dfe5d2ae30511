package dev.agentwatch.topics;

import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepSample;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** The binary form of {@link StepSample} on {@code agentwatch_step_samples}. */
final class StepSampleCodec {
    private StepSampleCodec() {
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
