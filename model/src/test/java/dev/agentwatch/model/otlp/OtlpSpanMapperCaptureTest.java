package dev.agentwatch.model.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentwatch.model.PriceTable;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepStatus;
import dev.agentwatch.model.ToolCallRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Real OpenInference LangChain.js captures (shared/reference/captures/openinference_langchain):
 * byte-exact OTLP/HTTP protobuf bodies, one agent with one tool, four scenarios.
 */
class OtlpSpanMapperCaptureTest {

    private static final OtlpSpanMapper MAPPER = new OtlpSpanMapper(PriceTable.defaults());

    private static List<Step> steps(String scenario) {
        List<Step> steps = new ArrayList<>();
        for (ExportTraceServiceRequest request : SharedReference.capture(scenario)) {
            steps.addAll(MAPPER.map("acme", request));
        }
        steps.sort(Comparator.comparingLong(Step::startEpochNanos));
        return steps;
    }

    private static Step root(List<Step> steps) {
        List<Step> roots = steps.stream().filter(Step::isRoot).toList();
        assertThat(roots).hasSize(1);
        return roots.getFirst();
    }

    private static List<Step> ofKind(List<Step> steps, StepKind kind) {
        return steps.stream().filter(s -> s.kind() == kind).toList();
    }

    @Test
    void mapsOkRunToAgentRootWithTwoModelCallsAndOneTool() {
        List<Step> steps = steps("ok");

        assertThat(steps).hasSize(4);
        Step root = root(steps);
        assertThat(root.kind()).isEqualTo(StepKind.AGENT);
        assertThat(root.name()).isEqualTo("weather_agent");
        assertThat(root.agentName()).isEqualTo("weather_agent");
        assertThat(root.operation()).isEqualTo("invoke_agent");
        assertThat(root.status()).isEqualTo(StepStatus.OK);
        assertThat(root.runId()).isEqualTo("4da2884fea96289c52c8b1eb3cecc909");
        assertThat(root.stepId()).isEqualTo("83279493e96d7961");
        assertThat(root.durationNanos()).isPositive();
        assertThat(steps).allSatisfy(s -> {
            assertThat(s.tenant()).isEqualTo("acme");
            assertThat(s.service()).isEqualTo("agentwatch-probe");
            assertThat(s.runId()).isEqualTo(root.runId());
            assertThat(s.stepId()).matches("[0-9a-f]{16}");
        });
        assertThat(steps).filteredOn(s -> !s.isRoot()).allSatisfy(s -> assertThat(s.parentStepId()).isEqualTo(root.stepId()));

        List<Step> llms = ofKind(steps, StepKind.LLM);
        assertThat(llms).hasSize(2).allSatisfy(llm -> {
            assertThat(llm.model()).isEqualTo("gpt-4o-mini");
            assertThat(llm.provider()).isEqualTo("openai");
            assertThat(llm.operation()).isEqualTo("chat");
            assertThat(llm.name()).isEqualTo("chat gpt-4o-mini");
            assertThat(llm.spanName()).isEqualTo("ChatOpenAI");
            assertThat(llm.status()).isEqualTo(StepStatus.OK);
            assertThat(llm.costUsd()).isPositive();
        });
        Step first = llms.get(0);
        assertThat(first.tokens().inputTokens()).isEqualTo(50);
        assertThat(first.tokens().outputTokens()).isEqualTo(12);
        assertThat(first.costUsd()).isCloseTo((50 * 0.15 + 12 * 0.60) / 1e6, within(1e-12));
        assertThat(first.finishReason()).isEqualTo("tool_calls");
        assertThat(first.requestedToolCalls()).extracting(ToolCallRequest::toolName).containsExactly("get_weather");
        assertThat(first.requestedToolCalls().getFirst().argumentsHash())
                .isEqualTo(TextDigest.of("{\"city\":\"Paris\"}"));
        assertThat(first.outputChars()).isZero();
        assertThat(first.outputHash()).as("captured but empty").isEqualTo(TextDigest.of(""));
        Step second = llms.get(1);
        assertThat(second.tokens().inputTokens()).isEqualTo(70);
        assertThat(second.finishReason()).isEqualTo("stop");
        assertThat(second.requestedToolCalls()).isEmpty();
        assertThat(second.outputChars()).isEqualTo("Done. Tool said: {\"city\":\"Paris\",\"tempC\":21,\"sky\":\"clear\"}".length());

        List<Step> tools = ofKind(steps, StepKind.TOOL);
        assertThat(tools).singleElement().satisfies(tool -> {
            assertThat(tool.toolName()).isEqualTo("get_weather");
            assertThat(tool.name()).isEqualTo("get_weather");
            assertThat(tool.operation()).isEqualTo("execute_tool");
            assertThat(tool.status()).isEqualTo(StepStatus.OK);
            assertThat(tool.toolArgumentsHash()).isEqualTo(TextDigest.of("Paris"));
            assertThat(tool.toolOutputLooksLikeError()).isFalse();
            assertThat(tool.tokens().totalTokens()).isZero();
        });
        assertThat(steps.stream().map(Step::kind).toList())
                .containsExactly(StepKind.AGENT, StepKind.LLM, StepKind.TOOL, StepKind.LLM);
    }

    @Test
    void marksFailedToolStepWhileRootStaysOkWhenToolErrorIsSwallowed() {
        List<Step> steps = steps("tool_error");

        assertThat(steps).hasSize(4);
        assertThat(root(steps).status()).isEqualTo(StepStatus.OK);
        assertThat(ofKind(steps, StepKind.TOOL)).singleElement().satisfies(tool -> {
            assertThat(tool.status()).isEqualTo(StepStatus.ERROR);
            assertThat(tool.failed()).isTrue();
            assertThat(tool.toolName()).isEqualTo("get_weather");
            assertThat(tool.errorMessage()).isEqualTo("WeatherService 503: city not found");
            assertThat(tool.errorType()).as("the capture's exception event has no exception.type").isEmpty();
        });
        assertThat(ofKind(steps, StepKind.LLM)).hasSize(2)
                .allSatisfy(llm -> assertThat(llm.status()).isEqualTo(StepStatus.OK));
    }

    @Test
    void marksModelCallAndRootFailedWhenModelReturns500() {
        List<Step> steps = steps("llm_error");

        assertThat(steps).hasSize(2);
        Step root = root(steps);
        assertThat(root.kind()).isEqualTo(StepKind.AGENT);
        assertThat(root.status()).isEqualTo(StepStatus.ERROR);
        assertThat(root.errorMessage()).isEqualTo("500 fake upstream failure");
        assertThat(ofKind(steps, StepKind.LLM)).singleElement().satisfies(llm -> {
            assertThat(llm.status()).isEqualTo(StepStatus.ERROR);
            assertThat(llm.errorMessage()).isEqualTo("500 fake upstream failure");
            assertThat(llm.model()).isEqualTo("gpt-4o-mini");
            assertThat(llm.tokens().totalTokens()).isZero();
            assertThat(llm.costUsd()).isZero();
            assertThat(llm.outputHash()).as("no output at all").isEmpty();
            assertThat(llm.parentStepId()).isEqualTo(root.stepId());
        });
    }

    @Test
    void givesRepeatedIdenticalToolCallsIdenticalHashesInLoop() {
        List<Step> steps = steps("loop");

        assertThat(steps).hasSize(9);
        assertThat(root(steps).status()).isEqualTo(StepStatus.OK);
        List<Step> llms = ofKind(steps, StepKind.LLM);
        List<Step> tools = ofKind(steps, StepKind.TOOL);
        assertThat(llms).hasSize(4).allSatisfy(llm -> assertThat(llm.finishReason()).isEqualTo("tool_calls"));
        assertThat(llms.stream().flatMap(l -> l.requestedToolCalls().stream()).toList())
                .hasSize(4)
                .allSatisfy(call -> assertThat(call.toolName()).isEqualTo("get_weather"))
                .extracting(ToolCallRequest::argumentsHash)
                .containsOnly(TextDigest.of("{\"city\":\"Paris\"}"));
        assertThat(tools).hasSize(4).extracting(Step::toolArgumentsHash).containsOnly(TextDigest.of("Paris"));
        assertThat(tools).extracting(Step::outputHash).hasSize(4).doesNotContain("").containsOnly(tools.getFirst().outputHash());
        assertThat(llms).extracting(l -> l.tokens().inputTokens()).containsExactly(50L, 70L, 90L, 110L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ok", "tool_error", "llm_error", "loop"})
    void keepsPromptAndCompletionTextOutOfSteps(String scenario) {
        List<String> secrets = List.of("What is the weather", "Atlantis", "Paris", "Boom", "Done. Tool said",
                "tempC", "/srv/research", "HumanMessage", "step budget", "ls_provider", "at APIError");
        for (Step step : steps(scenario)) {
            String text = step.toString();
            for (String secret : secrets) {
                assertThat(text).as(scenario + " step " + step.stepId()).doesNotContain(secret);
            }
        }
    }

    @Test
    void mapsOfficialOtlpJsonExampleToOtherStep() {
        ExportTraceServiceRequest request = OtlpJsonFixture.parse(SharedReference.read("captures/trace.json"));

        List<Step> steps = MAPPER.map("acme", request);

        assertThat(steps).singleElement().satisfies(step -> {
            assertThat(step.kind()).isEqualTo(StepKind.OTHER);
            assertThat(step.name()).isEqualTo("I'm a server span");
            assertThat(step.service()).isEqualTo("my.service");
            assertThat(step.runId()).isEqualTo("5b8efff798038103d269b633813fc60c");
            assertThat(step.stepId()).isEqualTo("eee19b7ec3c1b174");
            assertThat(step.parentStepId()).isEqualTo("eee19b7ec3c1b173");
            assertThat(step.status()).isEqualTo(StepStatus.UNSET);
            assertThat(step.durationNanos()).isEqualTo(1_000_000_000L);
            assertThat(step.operation()).isEmpty();
        });
    }
}
