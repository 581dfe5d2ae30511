package dev.agentwatch.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentwatch.model.Evaluation;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepStatus;
import dev.agentwatch.model.TokenUsage;
import dev.agentwatch.model.ToolCallRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the helper emits, read back through the real SDK, OTLP protobuf and agentwatch's mapper. */
class AgentTelemetryTest {
    private static final Instant T0 = Instant.parse("2026-11-02T09:00:00Z");

    private final EmittedSpans emitted = new EmittedSpans();
    private final MutableClock clock = new MutableClock(T0);
    private final AgentTelemetry telemetry = AgentTelemetry.builder(emitted.openTelemetry()).clock(clock).build();

    @AfterEach
    void close() {
        emitted.close();
    }

    @Test
    void aClaimsRunMapsToStepsOfTheRightKindsWithTheRunContextOnEachStep() {
        String runId;
        try (AgentRun run = telemetry.run("claims-agent").version("3.2.0").conversationId("conv-7")
                .subjectId("CLM-1001").start()) {
            runId = run.runId();
            try (LlmCall call = run.llmCall("openai", "gpt-4.1-mini").maxTokens(800).temperature(0.2).start()) {
                clock.advance(Duration.ofMillis(1500));
                call.responseModel("gpt-4.1-mini-2025-04-14")
                        .usage(new Usage(2400, 300, 2000, 100, 120))
                        .finishReasons("tool_calls")
                        .requestedToolCall("call_1", "lookup_policy", Map.of("policy_id", "P-77", "year", 2026));
            }
            try (ToolCall tool = run.toolCall("lookup_policy").callId("call_1")
                    .arguments(Map.of("year", 2026, "policy_id", "P-77")).start()) {
                clock.advance(Duration.ofMillis(300));
                tool.fail("timeout", "policy service timed out");
            }
            try (HumanHandoff handoff = run.handoff("claims-review").start()) {
                clock.advance(Duration.ofMillis(5));
            }
            run.evaluation("decision_correctness", 0.42, "fail");
            run.claimOutcome("approved");
            clock.advance(Duration.ofMillis(10));
        }

        List<Step> steps = emitted.steps();
        assertThat(steps).hasSize(4).allSatisfy(step -> {
            assertThat(step.runId()).isEqualTo(runId);
            assertThat(step.agentName()).isEqualTo("claims-agent");
            assertThat(step.agentVersion()).isEqualTo("3.2.0");
            assertThat(step.subjectId()).isEqualTo("CLM-1001");
            assertThat(step.conversationId()).isEqualTo("conv-7");
            assertThat(step.service()).isEqualTo("claims-service");
        });

        Step root = emitted.step("claims-agent");
        assertThat(root.isRoot()).isTrue();
        assertThat(root.kind()).isEqualTo(StepKind.AGENT);
        assertThat(root.operation()).isEqualTo("invoke_agent");
        assertThat(root.claimedOutcome()).isEqualTo("approved");
        assertThat(root.evaluations()).containsExactly(new Evaluation("decision_correctness", 0.42, "fail"));
        assertThat(root.startEpochNanos()).isEqualTo(nanos(T0));
        assertThat(root.endEpochNanos()).isEqualTo(nanos(T0.plusMillis(1815)));

        Step llm = emitted.step("chat gpt-4.1-mini-2025-04-14");
        assertThat(llm.kind()).isEqualTo(StepKind.LLM);
        assertThat(llm.parentStepId()).isEqualTo(root.stepId());
        assertThat(llm.provider()).isEqualTo("openai");
        assertThat(llm.model()).isEqualTo("gpt-4.1-mini-2025-04-14");
        assertThat(llm.tokens()).isEqualTo(new TokenUsage(2400, 300, 2000, 100, 120));
        assertThat(llm.costUsd()).isPositive();
        assertThat(llm.finishReason()).isEqualTo("tool_calls");
        assertThat(llm.durationNanos()).isEqualTo(Duration.ofMillis(1500).toNanos());
        assertThat(llm.requestedToolCalls()).singleElement().satisfies(call -> {
            assertThat(call.callId()).isEqualTo("call_1");
            assertThat(call.toolName()).isEqualTo("lookup_policy");
            assertThat(call.argumentsHash()).isNotEmpty();
        });
        assertThat(llm.outputChars()).isZero();

        Step tool = emitted.step("lookup_policy");
        assertThat(tool.kind()).isEqualTo(StepKind.TOOL);
        assertThat(tool.toolCallId()).isEqualTo("call_1");
        assertThat(tool.status()).isEqualTo(StepStatus.ERROR);
        assertThat(tool.errorType()).isEqualTo("timeout");
        assertThat(tool.errorMessage()).isEqualTo("policy service timed out");
        assertThat(tool.toolArgumentsHash())
                .as("the tool step and the model's request hash the same arguments alike, whatever the key order")
                .isEqualTo(llm.requestedToolCalls().getFirst().argumentsHash());

        Step handoff = emitted.step("handoff claims-review");
        assertThat(handoff.kind()).isEqualTo(StepKind.HANDOFF);
        assertThat(handoff.status()).isEqualTo(StepStatus.UNSET);
    }

    @Test
    void noArgumentOrResultTextLeavesTheProcessByDefault() {
        try (AgentRun run = telemetry.run("support-agent").start()) {
            try (LlmCall call = run.llmCall("openai", "gpt-4.1").start()) {
                call.requestedToolCall("c1", "get_order", Map.of("email", "jane@example.com"));
            }
            try (ToolCall tool = run.toolCall("get_order").callId("c1").arguments(Map.of("email", "jane@example.com")).start()) {
                tool.result(Map.of("address", "12 Secret Lane"));
            }
            run.evaluation("helpfulness", 0.9, "pass", "the customer jane@example.com was helped");
        }

        String everything = emitted.spans().stream().map(AgentTelemetryTest::allAttributeText).reduce("", String::concat);
        assertThat(everything).doesNotContain("jane@example.com").doesNotContain("Secret Lane")
                .contains("redacted:hmac-sha256:");
        assertThat(emitted.step("get_order").toolArgumentsHash()).isNotEmpty();
    }

    @Test
    void capturedContentSendsArgumentsAndResultsAsTheConventionsOptInAttributes() {
        AgentTelemetry capturing = AgentTelemetry.builder(emitted.openTelemetry()).captureContent(true).build();
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("order_id", "A-1");
        arguments.put("amount", 12.50);
        try (AgentRun run = capturing.run("support-agent").start()) {
            try (LlmCall call = run.llmCall("openai", "gpt-4.1").start()) {
                call.requestedToolCall("c1", "issue_refund", arguments);
            }
            try (ToolCall tool = run.toolCall("issue_refund").callId("c1").arguments(arguments).start()) {
                tool.result("refund RF-9 issued");
            }
        }

        SpanData tool = emitted.spans().stream().filter(s -> s.getName().equals("execute_tool issue_refund")).findFirst().orElseThrow();
        assertThat(tool.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.arguments")))
                .isEqualTo("{\"amount\":12.5,\"order_id\":\"A-1\"}");
        assertThat(tool.getAttributes().get(AttributeKey.stringKey("gen_ai.tool.call.result"))).isEqualTo("refund RF-9 issued");
        Step toolStep = emitted.step("issue_refund");
        ToolCallRequest requested = emitted.step("chat gpt-4.1").requestedToolCalls().getFirst();
        assertThat(toolStep.toolArgumentsHash()).isEqualTo(requested.argumentsHash()).isNotEmpty();
        assertThat(toolStep.outputChars()).isEqualTo("refund RF-9 issued".length());
    }

    @Test
    void repeatedIdenticalToolCallsHashAlikeAndDifferentArgumentsDoNot() {
        try (AgentRun run = telemetry.run("sre-agent").start()) {
            run.toolCall("query_metrics").callId("a").arguments(Map.of("service", "checkout", "window_min", 15)).start().end();
            run.toolCall("query_metrics").callId("b").arguments(Map.of("window_min", 15L, "service", "checkout")).start().end();
            run.toolCall("query_metrics").callId("c").arguments(Map.of("service", "payments", "window_min", 15)).start().end();
        }
        Map<String, String> hashByCall = new LinkedHashMap<>();
        emitted.steps().stream().filter(s -> s.kind() == StepKind.TOOL)
                .forEach(s -> hashByCall.put(s.toolCallId(), s.toolArgumentsHash()));

        assertThat(hashByCall.get("a")).isEqualTo(hashByCall.get("b"));
        assertThat(hashByCall.get("c")).isNotEqualTo(hashByCall.get("a"));
    }

    @Test
    void aRunWhoseRootNeverEndsStillNamesItsAgentAndSubjectOnEveryFinishedStep() {
        AgentRun run = telemetry.run("claims-agent").version("3.2.0").start();
        run.subjectId("CLM-2002");
        run.llmCall("anthropic", "claude-sonnet-4").start().end();

        List<Step> steps = emitted.steps();
        assertThat(steps).singleElement().satisfies(step -> {
            assertThat(step.isRoot()).isFalse();
            assertThat(step.agentName()).isEqualTo("claims-agent");
            assertThat(step.agentVersion()).isEqualTo("3.2.0");
            assertThat(step.subjectId()).isEqualTo("CLM-2002");
        });
    }

    @Test
    void aFailureFromAnExceptionCarriesItsTypeMessageAndAnExceptionEventStampedByTheClock() {
        try (AgentRun run = telemetry.run("claims-agent").start()) {
            try (ToolCall tool = run.toolCall("score_risk").start()) {
                clock.advance(Duration.ofSeconds(2));
                tool.fail(new TimeoutException("risk model did not answer in 2 s"));
            }
        }
        Step tool = emitted.step("score_risk");
        assertThat(tool.status()).isEqualTo(StepStatus.ERROR);
        assertThat(tool.errorType()).isEqualTo("java.util.concurrent.TimeoutException");
        assertThat(tool.errorMessage()).isEqualTo("risk model did not answer in 2 s");
        EventData exception = emitted.spans().stream().filter(s -> s.getName().equals("execute_tool score_risk"))
                .findFirst().orElseThrow().getEvents().getFirst();
        assertThat(exception.getName()).isEqualTo("exception");
        assertThat(exception.getEpochNanos()).isEqualTo(nanos(T0.plusSeconds(2)));
    }

    @Test
    void endingTwiceExportsOneSpan() {
        AgentRun run = telemetry.run("claims-agent").start();
        run.end();
        run.close();
        assertThat(run.isEnded()).isTrue();
        assertThat(emitted.spans()).hasSize(1);
    }

    @Test
    void withoutAClockTheSdkStampsTimes() {
        AgentTelemetry sdkTimed = AgentTelemetry.create(emitted.openTelemetry());
        Instant before = Instant.now();
        try (AgentRun run = sdkTimed.run("claims-agent").start()) {
            run.llmCall("openai", "gpt-4.1").start().end();
        }
        assertThat(emitted.steps()).allSatisfy(step ->
                assertThat(step.startEpochNanos()).isGreaterThanOrEqualTo(nanos(before.minusSeconds(1))));
    }

    @Test
    void usageMustCountCacheTokensInsideInputAndReasoningInsideOutput() {
        assertThatThrownBy(() -> new Usage(100, 10, 200, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must include cache reads");
        assertThatThrownBy(() -> new Usage(100, 10, 0, 0, 20)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reasoning");
    }

    @Test
    void blankNamesAreRefusedWithTheArgumentNamed() {
        assertThatThrownBy(() -> telemetry.run(" ")).hasMessage("agentName must not be blank");
        try (AgentRun run = telemetry.run("a").start()) {
            assertThatThrownBy(() -> run.toolCall("")).hasMessage("toolName must not be blank");
            assertThatThrownBy(() -> run.evaluation("x", Double.NaN, "pass")).hasMessageContaining("finite");
        }
    }

    @Test
    void aShortArgumentsHashKeyIsRefused() {
        assertThatThrownBy(() -> AgentTelemetry.builder(emitted.openTelemetry()).argumentsHashKey(new byte[4]))
                .hasMessageContaining("at least 16 bytes");
    }

    private static String allAttributeText(SpanData span) {
        StringBuilder out = new StringBuilder(span.getAttributes().toString());
        span.getEvents().forEach(e -> out.append(e.getAttributes()));
        return out.toString();
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
