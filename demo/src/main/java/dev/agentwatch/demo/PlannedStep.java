package dev.agentwatch.demo;

import dev.agentwatch.instrumentation.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One step of a planned run, with its simulated start and end. */
public sealed interface PlannedStep permits PlannedStep.ModelCall, PlannedStep.ToolExecution, PlannedStep.Handoff {

    Instant start();

    Instant end();

    /** A tool call a model asks for; arguments are plain JSON-like values. */
    record RequestedCall(String callId, String toolName, Map<String, Object> arguments) {
        public RequestedCall {
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(toolName, "toolName");
            arguments = Map.copyOf(arguments);
        }
    }

    /** A model call. {@code finishReason} {@code length} means the answer was cut off at {@code maxTokens}. */
    record ModelCall(Instant start, Instant end, String provider, String requestModel, String responseModel,
                     long maxTokens, Usage usage, String finishReason, List<RequestedCall> requestedCalls)
            implements PlannedStep {
        public ModelCall {
            checkTimes(start, end);
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(requestModel, "requestModel");
            Objects.requireNonNull(responseModel, "responseModel");
            Objects.requireNonNull(usage, "usage");
            Objects.requireNonNull(finishReason, "finishReason");
            requestedCalls = List.copyOf(requestedCalls);
        }
    }

    /** A tool execution; {@code errorType} is empty when it succeeded. */
    record ToolExecution(Instant start, Instant end, String toolName, String callId, Map<String, Object> arguments,
                         String errorType, String errorMessage) implements PlannedStep {
        public ToolExecution {
            checkTimes(start, end);
            Objects.requireNonNull(toolName, "toolName");
            Objects.requireNonNull(callId, "callId");
            arguments = Map.copyOf(arguments);
            Objects.requireNonNull(errorType, "errorType");
            Objects.requireNonNull(errorMessage, "errorMessage");
        }

        public boolean failed() {
            return !errorType.isEmpty();
        }
    }

    /** A hand-off to a human queue. */
    record Handoff(Instant start, Instant end, String target) implements PlannedStep {
        public Handoff {
            checkTimes(start, end);
            Objects.requireNonNull(target, "target");
        }
    }

    private static void checkTimes(Instant start, Instant end) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("a step cannot end (" + end + ") before it starts (" + start + ")");
        }
    }
}
