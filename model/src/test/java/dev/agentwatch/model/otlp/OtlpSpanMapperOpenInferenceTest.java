package dev.agentwatch.model.otlp;

import static dev.agentwatch.model.otlp.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentwatch.model.Evaluation;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.TokenUsage;
import dev.agentwatch.model.ToolCallRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OpenInference (Arize Phoenix) spans built by hand, beyond what the LangChain captures show. */
class OtlpSpanMapperOpenInferenceTest {

    @ParameterizedTest
    @CsvSource({
            "LLM, false, LLM, chat",
            "TOOL, false, TOOL, execute_tool",
            "AGENT, false, AGENT, invoke_agent",
            "AGENT, true, AGENT, invoke_agent",
            "CHAIN, true, AGENT, invoke_agent",
            "CHAIN, false, OTHER, chain",
            "RETRIEVER, false, RETRIEVAL, retrieval",
            "RERANKER, false, RETRIEVAL, reranker",
            "EMBEDDING, false, EMBEDDING, embeddings",
            "GUARDRAIL, false, OTHER, guardrail",
            "EVALUATOR, false, EVALUATION, evaluator",
            "PROMPT, false, OTHER, prompt",
            "UNKNOWN, false, OTHER, unknown"})
    void classifiesBySpanKindAttribute(String spanKind, boolean root, StepKind expected, String operation) {
        TestSpans.Builder builder = span("whatever").attr("openinference.span.kind", spanKind);
        if (root) {
            builder.root();
        }

        Step step = builder.map();

        assertThat(step.kind()).isEqualTo(expected);
        assertThat(step.operation()).isEqualTo(operation);
    }

    @Test
    void mapsLlmSpanWithProviderCacheReasoningToolCallIdsAndSession() {
        Step step = span("ChatAnthropic")
                .attr("openinference.span.kind", "LLM")
                .attr("llm.provider", "azure")
                .attr("llm.system", "openai")
                .attr("llm.model_name", "gpt-4.1-mini-2025-04-14")
                .attr("llm.token_count.prompt", 2_000)
                .attr("llm.token_count.completion", 300)
                .attr("llm.token_count.total", 2_300)
                .attr("llm.token_count.prompt_details.cache_read", 1_000)
                .attr("llm.token_count.completion_details.reasoning", 100)
                .attr("llm.finish_reason", "tool_calls")
                .attr("session.id", "sess-9")
                .attr("llm.input_messages.0.message.role", "user")
                .attr("llm.input_messages.0.message.contents.0.message_content.type", "text")
                .attr("llm.input_messages.0.message.contents.0.message_content.text", "hello there")
                .attr("llm.output_messages.0.message.role", "assistant")
                .attr("llm.output_messages.0.message.content", "ok")
                .attr("llm.output_messages.0.message.tool_calls.1.tool_call.id", "call_b")
                .attr("llm.output_messages.0.message.tool_calls.1.tool_call.function.name", "second")
                .attr("llm.output_messages.0.message.tool_calls.0.tool_call.id", "call_a")
                .attr("llm.output_messages.0.message.tool_calls.0.tool_call.function.name", "first")
                .attr("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments", "{\"a\":1}")
                .map();

        assertThat(step.kind()).isEqualTo(StepKind.LLM);
        assertThat(step.provider()).isEqualTo("azure.ai.openai");
        assertThat(step.model()).isEqualTo("gpt-4.1-mini-2025-04-14");
        assertThat(step.tokens()).isEqualTo(new TokenUsage(2_000, 300, 1_000, 0, 100));
        assertThat(step.costUsd()).isCloseTo((1_000 * 0.40 + 1_000 * 0.10 + 300 * 1.60) / 1e6, within(1e-12));
        assertThat(step.finishReason()).isEqualTo("tool_calls");
        assertThat(step.conversationId()).isEqualTo("sess-9");
        assertThat(step.requestedToolCalls()).containsExactly(
                new ToolCallRequest("call_a", "first", TextDigest.of("{\"a\":1}")),
                new ToolCallRequest("call_b", "second", ""));
        assertThat(step.inputChars()).isEqualTo("hello there".length());
        assertThat(step.outputChars()).isEqualTo(2);
    }

    @Test
    void derivesMissingTokenCountFromTotal() {
        Step step = span("llm")
                .attr("openinference.span.kind", "LLM")
                .attr("llm.token_count.total", 120)
                .attr("llm.token_count.completion", 20)
                .map();

        assertThat(step.tokens().inputTokens()).isEqualTo(100);
    }

    @Test
    void usesReportedCostWhenPriceTableDoesNotKnowModel() {
        Step step = span("llm")
                .attr("openinference.span.kind", "LLM")
                .attr("llm.model_name", "in-house-model-7b")
                .attr("llm.token_count.prompt", 10)
                .attr("llm.cost.total", 0.0042)
                .map();

        assertThat(step.costUsd()).isEqualTo(0.0042);
    }

    @Test
    void mapsToolSpanWithCallIdAndErrorShapedOutput() {
        Step step = span("lookup_order")
                .attr("openinference.span.kind", "TOOL")
                .attr("tool.name", "lookup_order")
                .attr("tool_call.id", "call_42")
                .attr("input.value", "{\"order_id\": \"W123\"}")
                .attr("output.value", "Error: order W123 not found")
                .map();

        assertThat(step.toolName()).isEqualTo("lookup_order");
        assertThat(step.toolCallId()).isEqualTo("call_42");
        assertThat(step.toolArgumentsHash()).isEqualTo(TextDigest.of("{\"order_id\":\"W123\"}"));
        assertThat(step.toolOutputLooksLikeError()).isTrue();
        assertThat(step.toString()).doesNotContain("W123");
    }

    @Test
    void doesNotJudgeNonToolOutputs() {
        Step step = span("chain")
                .attr("openinference.span.kind", "CHAIN")
                .attr("output.value", "Error: something")
                .map();

        assertThat(step.toolOutputLooksLikeError()).isFalse();
        assertThat(step.toolArgumentsHash()).isEmpty();
    }

    @Test
    void readsAgentNameProviderSubjectAndOutcomeFromMetadataJson() {
        Step step = span("weather_agent").root()
                .attr("openinference.span.kind", "AGENT")
                .attr("agent.name", "weather")
                .attr("metadata", "{\"agentwatch.subject.id\":\"claim-77\",\"agentwatch.outcome.claimed\":\"resolved\","
                        + "\"ls_provider\":\"mistralai\",\"ls_model_name\":\"mistral-large-latest\",\"thread_id\":\"th-1\"}")
                .map();

        assertThat(step.kind()).isEqualTo(StepKind.AGENT);
        assertThat(step.agentName()).isEqualTo("weather");
        assertThat(step.subjectId()).isEqualTo("claim-77");
        assertThat(step.claimedOutcome()).isEqualTo("resolved");
        assertThat(step.provider()).isEqualTo("mistral_ai");
        assertThat(step.model()).isEqualTo("mistral-large-latest");
        assertThat(step.conversationId()).isEqualTo("th-1");
    }

    @Test
    void toleratesMalformedMetadataJson() {
        Step step = span("llm")
                .attr("openinference.span.kind", "LLM")
                .attr("metadata", "{\"ls_provider\": \"openai\"")
                .attr("llm.invocation_parameters", "{\"model\":\"gpt-4o\",\"temperature\":0}")
                .map();

        assertThat(step.provider()).isEmpty();
        assertThat(step.model()).isEqualTo("gpt-4o");
    }

    @Test
    void mapsEvaluatorSpanAndEvaluationAttributes() {
        Step step = span("judge")
                .attr("openinference.span.kind", "EVALUATOR")
                .attr("evaluations.0.evaluation.name", "correctness")
                .attr("evaluations.0.evaluation.score", 0.25)
                .attr("evaluations.0.evaluation.label", "incorrect")
                .attr("annotations.0.annotation.name", "helpfulness")
                .attr("annotations.0.annotation.label", "helpful")
                .map();

        assertThat(step.kind()).isEqualTo(StepKind.EVALUATION);
        assertThat(step.evaluations()).containsExactly(
                new Evaluation("correctness", 0.25, "incorrect"),
                new Evaluation("helpfulness", Double.NaN, "helpful"));
        assertThat(step.evaluations().get(1).hasScore()).isFalse();
    }
}
