package dev.agentwatch.demo;

import dev.agentwatch.instrumentation.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Lays steps end to end in simulated time for one run, with jittered durations and short agent
 * think-time between steps. Mutable; lives for one plan.
 */
final class Timeline {
    private final SplittableRandom rng;
    private final List<PlannedStep> steps = new ArrayList<>();
    private Instant cursor;
    private int nextCallId = 1;
    private double slowdown = 1;

    Timeline(Instant start, SplittableRandom rng) {
        this.cursor = start;
        this.rng = rng;
    }

    /** Stretches the next step's duration by {@code factor} (a latency spike). */
    void slowNextStep(double factor) {
        slowdown = factor;
    }

    String newCallId() {
        return "call_" + (nextCallId++);
    }

    PlannedStep.RequestedCall request(String toolName, Map<String, Object> arguments) {
        return new PlannedStep.RequestedCall(newCallId(), toolName, arguments);
    }

    PlannedStep.ModelCall model(String provider, String requestModel, String responseModel, double meanMillis,
                                long maxTokens, Usage usage, String finishReason,
                                List<PlannedStep.RequestedCall> requested) {
        Instant start = think();
        Instant end = start.plus(duration(meanMillis));
        PlannedStep.ModelCall call = new PlannedStep.ModelCall(start, end, provider, requestModel, responseModel,
                maxTokens, usage, finishReason, requested);
        add(call);
        return call;
    }

    PlannedStep.ToolExecution tool(String toolName, String callId, Map<String, Object> arguments, double meanMillis) {
        return tool(toolName, callId, arguments, meanMillis, "", "");
    }

    PlannedStep.ToolExecution tool(String toolName, String callId, Map<String, Object> arguments, double meanMillis,
                                   String errorType, String errorMessage) {
        Instant start = think();
        Instant end = start.plus(duration(meanMillis));
        PlannedStep.ToolExecution tool = new PlannedStep.ToolExecution(start, end, toolName, callId, arguments,
                errorType, errorMessage);
        add(tool);
        return tool;
    }

    PlannedStep.Handoff handoff(String target) {
        Instant start = think();
        PlannedStep.Handoff handoff = new PlannedStep.Handoff(start, start.plus(duration(40)), target);
        add(handoff);
        return handoff;
    }

    /** Token counts jittered around a mean, at least 1. */
    long tokens(double mean) {
        return Math.max(1, Math.round(mean * jitter(0.3)));
    }

    /** When the last step ended (or the run started), plus a little wrap-up time. */
    Instant finish() {
        return cursor.plusMillis(5 + rng.nextInt(30));
    }

    Instant lastEnd() {
        return cursor;
    }

    List<PlannedStep> steps() {
        return List.copyOf(steps);
    }

    int size() {
        return steps.size();
    }

    private void add(PlannedStep step) {
        steps.add(step);
        cursor = step.end();
    }

    private Instant think() {
        return cursor.plusMillis(10 + rng.nextInt(140));
    }

    private Duration duration(double meanMillis) {
        double millis = meanMillis * jitter(0.35) * slowdown;
        slowdown = 1;
        return Duration.ofNanos(Math.max(1_000_000L, Math.round(millis * 1_000_000)));
    }

    /** exp(N(0, sigma)): a log-normal factor around 1, as latencies and sizes are. */
    private double jitter(double sigma) {
        return Math.exp(sigma * gaussian());
    }

    private double gaussian() {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
