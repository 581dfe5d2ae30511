package dev.agentwatch.demo;

import dev.agentwatch.instrumentation.AgentRun;
import dev.agentwatch.instrumentation.AgentTelemetry;
import dev.agentwatch.instrumentation.LlmCall;
import dev.agentwatch.instrumentation.ToolCall;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Plays a {@link RunPlan} through the instrumentation helper, with every span and event stamped at
 * its planned simulated time. The only way the fleet produces telemetry. Not thread-safe: one
 * emitting thread.
 */
final class RunEmitter {
    private final SettableClock clock = new SettableClock(Instant.EPOCH);
    private final Map<AgentKind, AgentTelemetry> telemetry = new EnumMap<>(AgentKind.class);

    /** @param openTelemetryOf each agent's OpenTelemetry (its own service resource) */
    RunEmitter(Function<AgentKind, OpenTelemetry> openTelemetryOf) {
        for (AgentKind agent : AgentKind.values()) {
            telemetry.put(agent, AgentTelemetry.builder(openTelemetryOf.apply(agent)).clock(clock).build());
        }
    }

    /** Emits the run; returns its run id (trace id). An unfinished run's root span is left open. */
    String emit(RunPlan plan) {
        clock.set(plan.start());
        AgentRun run = telemetry.get(plan.agent()).run(plan.agent().agentName())
                .version(plan.agentVersion())
                .conversationId(plan.conversationId())
                .subjectId(plan.subjectId())
                .parent(Context.root())
                .start();
        for (PlannedStep step : plan.steps()) {
            clock.set(step.start());
            switch (step) {
                case PlannedStep.ModelCall call -> emitModelCall(run, call);
                case PlannedStep.ToolExecution tool -> emitTool(run, tool);
                case PlannedStep.Handoff handoff -> {
                    var span = run.handoff(handoff.target()).start();
                    clock.set(handoff.end());
                    span.end();
                }
            }
        }
        if (plan.finished()) {
            clock.set(plan.end());
            plan.judge().ifPresent(j -> run.evaluation(JudgeVerdict.EVALUATION_NAME, j.score(), j.label()));
            run.claimOutcome(plan.claimedOutcome());
            run.end();
        }
        return run.runId();
    }

    private void emitModelCall(AgentRun run, PlannedStep.ModelCall call) {
        LlmCall span = run.llmCall(call.provider(), call.requestModel()).maxTokens(call.maxTokens()).start();
        clock.set(call.end());
        span.responseModel(call.responseModel()).usage(call.usage()).finishReasons(call.finishReason());
        for (PlannedStep.RequestedCall requested : call.requestedCalls()) {
            span.requestedToolCall(requested.callId(), requested.toolName(), requested.arguments());
        }
        span.end();
    }

    private void emitTool(AgentRun run, PlannedStep.ToolExecution tool) {
        ToolCall span = run.toolCall(tool.toolName()).callId(tool.callId()).arguments(tool.arguments()).start();
        clock.set(tool.end());
        if (tool.failed()) {
            span.fail(tool.errorType(), tool.errorMessage());
        }
        span.end();
    }
}
