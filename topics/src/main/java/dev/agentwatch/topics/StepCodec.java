package dev.agentwatch.topics;

import dev.agentwatch.model.Evaluation;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepStatus;
import dev.agentwatch.model.TokenUsage;
import dev.agentwatch.model.ToolCallRequest;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A compact binary form of {@link Step}: the {@code agentwatch_steps} topic and the run state
 * store (several times smaller and faster than JSON). The caller writes a version first.
 */
public final class StepCodec {
    private StepCodec() {
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

    public static Step read(DataInputStream in) throws IOException {
        String tenant = in.readUTF();
        String service = in.readUTF();
        String agentName = in.readUTF();
        String agentVersion = in.readUTF();
        String runId = in.readUTF();
        String stepId = in.readUTF();
        String parentStepId = in.readUTF();
        StepKind kind = StepKind.valueOf(in.readUTF());
        String name = in.readUTF();
        String spanName = in.readUTF();
        String operation = in.readUTF();
        String provider = in.readUTF();
        String model = in.readUTF();
        long start = in.readLong();
        long end = in.readLong();
        StepStatus status = StepStatus.valueOf(in.readUTF());
        String errorType = in.readUTF();
        String errorMessage = in.readUTF();
        TokenUsage tokens = new TokenUsage(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
        double cost = in.readDouble();
        String finishReason = in.readUTF();
        String toolName = in.readUTF();
        String toolCallId = in.readUTF();
        String toolArgumentsHash = in.readUTF();
        boolean toolOutputError = in.readBoolean();
        int calls = in.readInt();
        List<ToolCallRequest> requested = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
            requested.add(new ToolCallRequest(in.readUTF(), in.readUTF(), in.readUTF()));
        }
        String conversationId = in.readUTF();
        String subjectId = in.readUTF();
        String claimedOutcome = in.readUTF();
        int evaluationCount = in.readInt();
        List<Evaluation> evaluations = new ArrayList<>(evaluationCount);
        for (int i = 0; i < evaluationCount; i++) {
            evaluations.add(new Evaluation(in.readUTF(), in.readDouble(), in.readUTF()));
        }
        long inputChars = in.readLong();
        long outputChars = in.readLong();
        String outputHash = in.readUTF();
        return new Step(tenant, service, agentName, agentVersion, runId, stepId, parentStepId, kind, name, spanName,
                operation, provider, model, start, end, status, errorType, errorMessage, tokens, cost, finishReason,
                toolName, toolCallId, toolArgumentsHash, toolOutputError, requested, conversationId, subjectId,
                claimedOutcome, evaluations, inputChars, outputChars, outputHash);
    }
}
