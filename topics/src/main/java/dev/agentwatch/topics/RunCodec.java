package dev.agentwatch.topics;

import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunStatus;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of {@link Run} on {@code agentwatch_runs}: three pipelines and a sink read every
 * run, and decoding it as JSON was a quarter of the outcomes pipeline's CPU. The caller writes a
 * version first.
 */
final class RunCodec {
    private RunCodec() {
    }

    static void write(Run r, DataOutputStream out) throws IOException {
        StepCodec.utf(out, r.tenant());
        StepCodec.utf(out, r.runId());
        StepCodec.utf(out, r.service());
        StepCodec.utf(out, r.agentName());
        StepCodec.utf(out, r.agentVersion());
        strings(out, r.models());
        StepCodec.utf(out, r.rootStepId());
        StepCodec.utf(out, r.rootName());
        out.writeLong(r.startEpochNanos());
        out.writeLong(r.endEpochNanos());
        StepCodec.utf(out, r.status().name());
        out.writeInt(r.steps());
        out.writeInt(r.llmCalls());
        out.writeInt(r.toolCalls());
        out.writeInt(r.errors());
        out.writeInt(r.retries());
        out.writeInt(r.handoffs());
        out.writeLong(r.inputTokens());
        out.writeLong(r.outputTokens());
        out.writeDouble(r.costUsd());
        strings(out, r.path());
        StepCodec.utf(out, r.subjectId());
        StepCodec.utf(out, r.claimedOutcome());
        StepCodec.utf(out, r.conversationId());
        out.writeDouble(r.judgeScore());
        StepCodec.utf(out, r.judgeLabel());
        out.writeInt(r.lateSteps());
        out.writeInt(r.revision());
        out.writeLong(r.closedAtEpochMillis());
    }

    static Run read(DataInputStream in) throws IOException {
        return new Run(StepCodec.readUtf(in), StepCodec.readUtf(in), StepCodec.readUtf(in), StepCodec.readUtf(in),
                StepCodec.readUtf(in), strings(in), StepCodec.readUtf(in), StepCodec.readUtf(in), in.readLong(),
                in.readLong(), RunStatus.valueOf(StepCodec.readUtf(in)), in.readInt(), in.readInt(), in.readInt(),
                in.readInt(), in.readInt(), in.readInt(), in.readLong(), in.readLong(), in.readDouble(), strings(in),
                StepCodec.readUtf(in), StepCodec.readUtf(in), StepCodec.readUtf(in), in.readDouble(), StepCodec.readUtf(in),
                in.readInt(), in.readInt(), in.readLong());
    }

    private static void strings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            StepCodec.utf(out, value);
        }
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > 100_000) {
            throw new IOException("implausible list length " + count);
        }
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(StepCodec.readUtf(in));
        }
        return values;
    }
}
