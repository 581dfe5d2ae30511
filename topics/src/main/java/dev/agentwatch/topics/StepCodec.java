package dev.agentwatch.topics;

import dev.agentwatch.model.Evaluation;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepBatch;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepStatus;
import dev.agentwatch.model.TokenUsage;
import dev.agentwatch.model.ToolCallRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A compact binary form of {@link Step} and {@link StepBatch}: the {@code agentwatch_steps} topic
 * and the run state store (several times smaller and faster than JSON). The caller writes a
 * version first.
 */
public final class StepCodec {
    private StepCodec() {
    }

    /** A step batch: its size, then each step as {@link #write} writes it. */
    public static void writeBatch(StepBatch batch, DataOutputStream out) throws IOException {
        out.writeInt(batch.steps().size());
        for (Step step : batch.steps()) {
            write(step, out);
        }
    }

    /** What {@link #writeBatch} wrote. */
    public static StepBatch readBatch(DataInputStream in) throws IOException {
        int count = in.readInt();
        // Checked before allocating: a corrupt count must not size a list.
        if (count < 1 || count > in.available()) {
            throw new IOException("step batch size " + count + " does not fit the " + in.available() + " bytes left");
        }
        List<Step> steps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            steps.add(read(in));
        }
        return new StepBatch(steps);
    }

    public static void write(Step s, DataOutputStream out) throws IOException {
        utf(out, s.tenant());
        utf(out, s.service());
        utf(out, s.agentName());
        utf(out, s.agentVersion());
        utf(out, s.runId());
        utf(out, s.stepId());
        utf(out, s.parentStepId());
        utf(out, s.kind().name());
        utf(out, s.name());
        utf(out, s.spanName());
        utf(out, s.operation());
        utf(out, s.provider());
        utf(out, s.model());
        out.writeLong(s.startEpochNanos());
        out.writeLong(s.endEpochNanos());
        utf(out, s.status().name());
        utf(out, s.errorType());
        utf(out, s.errorMessage());
        TokenUsage t = s.tokens();
        out.writeLong(t.inputTokens());
        out.writeLong(t.outputTokens());
        out.writeLong(t.cacheReadTokens());
        out.writeLong(t.cacheWriteTokens());
        out.writeLong(t.reasoningTokens());
        out.writeDouble(s.costUsd());
        utf(out, s.finishReason());
        utf(out, s.toolName());
        utf(out, s.toolCallId());
        utf(out, s.toolArgumentsHash());
        out.writeBoolean(s.toolOutputLooksLikeError());
        out.writeInt(s.requestedToolCalls().size());
        for (ToolCallRequest call : s.requestedToolCalls()) {
            utf(out, call.callId());
            utf(out, call.toolName());
            utf(out, call.argumentsHash());
        }
        utf(out, s.conversationId());
        utf(out, s.subjectId());
        utf(out, s.claimedOutcome());
        out.writeInt(s.evaluations().size());
        for (Evaluation e : s.evaluations()) {
            utf(out, e.name());
            out.writeDouble(e.score());
            utf(out, e.label());
        }
        out.writeLong(s.inputChars());
        out.writeLong(s.outputChars());
        utf(out, s.outputHash());
    }

    /** writeUTF takes at most 65535 bytes; no step field is legitimately near that. */
    public static void utf(DataOutputStream out, String value) throws IOException {
        out.writeUTF(value.length() > 16_000 ? value.substring(0, 16_000) : value);
    }

    /** Reads what {@link #utf} (writeUTF) wrote, decoding ASCII without a detour through chars. */
    public static String readUtf(DataInputStream in) throws IOException {
        int length = in.readUnsignedShort();
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        for (byte b : bytes) {
            if (b <= 0) {
                ByteArrayOutputStream prefixed = new ByteArrayOutputStream(length + 2);
                prefixed.write(length >>> 8);
                prefixed.write(length);
                prefixed.write(bytes);
                return DataInputStream.readUTF(new DataInputStream(new ByteArrayInputStream(prefixed.toByteArray())));
            }
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    public static Step read(DataInputStream in) throws IOException {
        String tenant = readUtf(in);
        String service = readUtf(in);
        String agentName = readUtf(in);
        String agentVersion = readUtf(in);
        String runId = readUtf(in);
        String stepId = readUtf(in);
        String parentStepId = readUtf(in);
        StepKind kind = StepKind.valueOf(readUtf(in));
        String name = readUtf(in);
        String spanName = readUtf(in);
        String operation = readUtf(in);
        String provider = readUtf(in);
        String model = readUtf(in);
        long start = in.readLong();
        long end = in.readLong();
        StepStatus status = StepStatus.valueOf(readUtf(in));
        String errorType = readUtf(in);
        String errorMessage = readUtf(in);
        TokenUsage tokens = new TokenUsage(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
        double cost = in.readDouble();
        String finishReason = readUtf(in);
        String toolName = readUtf(in);
        String toolCallId = readUtf(in);
        String toolArgumentsHash = readUtf(in);
        boolean toolOutputError = in.readBoolean();
        int calls = in.readInt();
        List<ToolCallRequest> requested = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            requested.add(new ToolCallRequest(readUtf(in), readUtf(in), readUtf(in)));
        }
        String conversationId = readUtf(in);
        String subjectId = readUtf(in);
        String claimedOutcome = readUtf(in);
        int evaluationCount = in.readInt();
        List<Evaluation> evaluations = new ArrayList<>(evaluationCount);
        for (int i = 0; i < evaluationCount; i++) {
            evaluations.add(new Evaluation(readUtf(in), in.readDouble(), readUtf(in)));
        }
        long inputChars = in.readLong();
        long outputChars = in.readLong();
        String outputHash = readUtf(in);
        return new Step(tenant, service, agentName, agentVersion, runId, stepId, parentStepId, kind, name, spanName,
                operation, provider, model, start, end, status, errorType, errorMessage, tokens, cost, finishReason,
                toolName, toolCallId, toolArgumentsHash, toolOutputError, requested, conversationId, subjectId,
                claimedOutcome, evaluations, inputChars, outputChars, outputHash);
    }
}
