package dev.agentwatch.model.otlp;

import static dev.agentwatch.model.otlp.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepStatus;
import dev.agentwatch.model.TokenUsage;
import dev.agentwatch.model.ToolCallRequest;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OTel GenAI semantic conventions, before (≤1.36) and after (≥1.37) the big rename. */
class OtlpSpanMapperOtelGenAiTest {

    @Test
    void mapsPre137ChatSpanWithGenAiSystemAndPromptTokens() {
        Step step = span("chat gpt-4o")
                .attr("gen_ai.operation.name", "chat")
                .attr("gen_ai.system", "az.ai.openai")
                .attr("gen_ai.request.model", "gpt-4o")
                .attr("gen_ai.response.model", "gpt-4o-2024-08-06")
                .attr("gen_ai.usage.prompt_tokens", 1000)
                .attr("gen_ai.usage.completion_tokens", 100)
                .attr("gen_ai.response.finish_reasons", List.of("stop"))
                .map();

        assertThat(step.kind()).isEqualTo(StepKind.LLM);
        assertThat(step.provider()).isEqualTo("azure.ai.openai");
        assertThat(step.model()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(step.name()).isEqualTo("chat gpt-4o-2024-08-06");
        assertThat(step.tokens()).isEqualTo(new TokenUsage(1000, 100, 0, 0, 0));
        assertThat(step.costUsd()).isCloseTo((1000 * 2.50 + 100 * 10.0) / 1e6, within(1e-12));
        assertThat(step.finishReason()).isEqualTo("stop");
        assertThat(step.outputHash()).as("content not captured").isEmpty();
        assertThat(step.outputChars()).isZero();
    }

    @Test
    void mapsPre137SpanWithoutOperationNameAsModelCall() {
        Step step = span("openai.chat")
                .attr("gen_ai.system", "openai")
                .attr("gen_ai.request.model", "gpt-4o-mini")
                .map();

        assertThat(step.kind()).isEqualTo(StepKind.LLM);
        assertThat(step.operation()).isEmpty();
        assertThat(step.name()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void mapsCurrentChatSpanWithCacheReasoningMessagesAndToolCalls() {
        String output = """
                [{"role":"assistant","parts":[{"type":"text","content":"Let me check."},
                  {"type":"tool_call","id":"call_1","name":"get_weather","arguments":{"city":"Paris","unit":"c"}}],
                  "finish_reason":"tool_call"}]""";
        Step step = span("chat claude-sonnet-4-5")
                .attr("gen_ai.operation.name", "chat")
                .attr("gen_ai.provider.name", "anthropic")
                .attr("gen_ai.request.model", "claude-sonnet-4-5-20250929")
                .attr("gen_ai.usage.input_tokens", 10_000)
                .attr("gen_ai.usage.output_tokens", 500)
                .attr("gen_ai.usage.cache_read.input_tokens", 6_000)
                .attr("gen_ai.usage.cache_creation.input_tokens", 2_000)
                .attr("gen_ai.usage.reasoning.output_tokens", 200)
                .attr("gen_ai.response.finish_reasons", List.of("tool_call"))
                .attr("gen_ai.conversation.id", "conv_123")
                .attr("gen_ai.agent.name", "claims-agent")
                .attr("gen_ai.agent.version", "2.3.0")
                .attr("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Weather in Paris?\"}]}]")
                .attr("gen_ai.system_instructions", "[{\"type\":\"text\",\"content\":\"Be brief.\"}]")
                .attr("gen_ai.output.messages", output)
                .map();

        assertThat(step.kind()).isEqualTo(StepKind.LLM);
        assertThat(step.provider()).isEqualTo("anthropic");
        assertThat(step.model()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(step.tokens()).isEqualTo(new TokenUsage(10_000, 500, 6_000, 2_000, 200));
        assertThat(step.costUsd()).isCloseTo((2_000 * 3.0 + 6_000 * 0.30 + 2_000 * 3.75 + 500 * 15.0) / 1e6, within(1e-12));
        assertThat(step.finishReason()).isEqualTo("tool_call");
        assertThat(step.conversationId()).isEqualTo("conv_123");
        assertThat(step.agentName()).isEqualTo("claims-agent");
        assertThat(step.agentVersion()).isEqualTo("2.3.0");
        assertThat(step.requestedToolCalls()).containsExactly(
                new ToolCallRequest("call_1", "get_weather", TextDigest.of("{\"city\":\"Paris\",\"unit\":\"c\"}")));
        assertThat(step.inputChars()).isEqualTo("Be brief.\nWeather in Paris?".length());
        assertThat(step.outputChars()).isEqualTo("Let me check.".length());
        assertThat(step.outputHash()).isEqualTo(TextDigest.of("Let me check."));
        assertThat(step.toString()).doesNotContain("Paris", "Let me check", "Be brief");
    }

    @Test
    void acceptsStructuredMessageAttributesLikeJsonStrings() {
        Map<String, Object> part = Map.of("type", "tool_call", "id", "c9", "name", "lookup",
                "arguments", Map.of("id", 42L));
        Step structured = span("chat")
                .attr("gen_ai.operation.name", "chat")
                .attr("gen_ai.output.messages", List.of(Map.of("role", "assistant", "parts", List.of(part),
                        "finish_reason", "tool_call")))
                .map();
        Step asString = span("chat")
                .attr("gen_ai.operation.name", "chat")
                .attr("gen_ai.output.messages",
                        "[{\"role\":\"assistant\",\"finish_reason\":\"tool_call\",\"parts\":[{\"type\":\"tool_call\","
                                + "\"id\":\"c9\",\"name\":\"lookup\",\"arguments\":\"{ \\\"id\\\": 42 }\"}]}]")
                .map();

        assertThat(structured.requestedToolCalls()).isEqualTo(asString.requestedToolCalls());
        assertThat(structured.finishReason()).isEqualTo("tool_call");
        assertThat(structured.outputHash()).isEqualTo(TextDigest.of(""));
    }

    @Test
    void readsCacheWriteUnderItsNewName() {
        Step step = span("chat")
                .attr("gen_ai.operation.name", "chat")
                .attr("gen_ai.usage.input_tokens", 100)
                .attr("gen_ai.usage.cache_write.input_tokens", 40)
                .attr("gen_ai.usage.cache_creation.input_tokens", 7)
                .map();

        assertThat(step.tokens().cacheWriteTokens()).isEqualTo(40);
    }

    @Test
    void addsCacheTokensToInputWhenInputEvidentlyExcludesThem() {
        Step step = span("chat")
                .attr("gen_ai.operation.name", "chat")
                .attr("gen_ai.usage.input_tokens", 10)
                .attr("gen_ai.usage.cache_read.input_tokens", 3_000)
                .map();

        assertThat(step.tokens().inputTokens()).isEqualTo(3_010);
    }

    @Test
    void mapsExecuteToolSpanWithArgumentsResultAndCallId() {
        Step llm = span("chat")
                .attr("gen_ai.operation.name", "chat")
                .attr("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\"call_7\","
                        + "\"name\":\"refund\",\"arguments\":{\"order\":\"A1\",\"amount\":10.0}}]}]")
                .map();
        Step tool = span("execute_tool refund")
                .attr("gen_ai.operation.name", "execute_tool")
                .attr("gen_ai.tool.name", "refund")
                .attr("gen_ai.tool.call.id", "call_7")
                .attr("gen_ai.tool.call.arguments", "{\"amount\": 10, \"order\": \"A1\"}")
                .attr("gen_ai.tool.call.result", "{\"error\":\"order A1 not refundable\"}")
                .map();

        assertThat(tool.kind()).isEqualTo(StepKind.TOOL);
        assertThat(tool.name()).isEqualTo("refund");
        assertThat(tool.toolName()).isEqualTo("refund");
        assertThat(tool.toolCallId()).isEqualTo("call_7");
        assertThat(tool.status()).isEqualTo(StepStatus.UNSET);
        assertThat(tool.toolOutputLooksLikeError()).isTrue();
        assertThat(tool.toolArgumentsHash()).as("same call, other spelling").isEqualTo(llm.requestedToolCalls().getFirst().argumentsHash());
        assertThat(tool.toString()).doesNotContain("A1", "refundable");
    }

    @Test
    void mapsRootInvokeAgentToAgentAndInvokeWorkflowToWorkflow() {
        Step agent = span("invoke_agent triage").root()
                .attr("gen_ai.operation.name", "invoke_agent")
                .attr("gen_ai.agent.name", "triage")
                .attr("gen_ai.agent.id", "asst_1")
                .map();
        Step workflow = span("invoke_workflow claims").root()
                .attr("gen_ai.operation.name", "invoke_workflow")
                .attr("gen_ai.workflow.name", "claims")
                .map();
        Step subAgent = span("invoke_agent").attr("gen_ai.operation.name", "invoke_agent").map();

        assertThat(agent.kind()).isEqualTo(StepKind.AGENT);
        assertThat(agent.isRoot()).isTrue();
        assertThat(agent.name()).isEqualTo("triage");
        assertThat(workflow.kind()).isEqualTo(StepKind.WORKFLOW);
        assertThat(workflow.name()).isEqualTo("claims");
        assertThat(subAgent.kind()).isEqualTo(StepKind.AGENT);
        assertThat(subAgent.agentName()).as("a bare invoke_agent span names no agent").isEmpty();
        assertThat(subAgent.name()).isEqualTo("invoke_agent");
    }

    @Test
    void mapsEmbeddingsAndRetrievalOperations() {
        Step embeddings = span("embeddings text-embedding-3-small")
                .attr("gen_ai.operation.name", "embeddings")
                .attr("gen_ai.provider.name", "openai")
                .attr("gen_ai.request.model", "text-embedding-3-small")
                .attr("gen_ai.usage.input_tokens", 1_000_000)
                .map();
        Step retrieval = span("retrieval kb").attr("gen_ai.operation.name", "retrieval").map();

        assertThat(embeddings.kind()).isEqualTo(StepKind.EMBEDDING);
        assertThat(embeddings.costUsd()).isCloseTo(0.02, within(1e-12));
        assertThat(retrieval.kind()).isEqualTo(StepKind.RETRIEVAL);
    }

    @Test
    void setsErrorFromErrorTypeEvenWhenStatusIsUnset() {
        Step step = span("chat gpt-4o")
                .attr("gen_ai.operation.name", "chat")
                .attr("error.type", "rate_limit_exceeded")
                .map();

        assertThat(step.status()).isEqualTo(StepStatus.ERROR);
        assertThat(step.errorType()).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void takesErrorTypeAndMessageFromExceptionEvent() {
        String longLine = "x".repeat(400);
        Step step = span("execute_tool search")
                .attr("gen_ai.operation.name", "execute_tool")
                .status(Status.StatusCode.STATUS_CODE_ERROR, "")
                .event("exception", Map.of("exception.type", "java.net.SocketTimeoutException",
                        "exception.message", "\n  " + longLine + "\nsecond line"))
                .map();

        assertThat(step.status()).isEqualTo(StepStatus.ERROR);
        assertThat(step.errorType()).isEqualTo("java.net.SocketTimeoutException");
        assertThat(step.errorMessage()).hasSize(256).isEqualTo(longLine.substring(0, 256));
    }

    @Test
    void prefersErrorTypeAttributeAndStatusMessage() {
        Step step = span("chat")
                .attr("gen_ai.operation.name", "chat")
                .attr("error.type", "500")
                .status(Status.StatusCode.STATUS_CODE_ERROR, "upstream failed\nstack...")
                .event("exception", Map.of("exception.type", "APIError", "exception.message", "other"))
                .map();

        assertThat(step.errorType()).isEqualTo("500");
        assertThat(step.errorMessage()).isEqualTo("upstream failed");
    }

    @Test
    void readsLegacySpanEventContentWithoutKeepingIt() {
        Step step = span("chat")
                .attr("gen_ai.operation.name", "chat")
                .event("gen_ai.content.prompt", Map.of("gen_ai.prompt", "[{\"role\":\"user\",\"content\":\"secret question\"}]"))
                .event("gen_ai.content.completion", Map.of("gen_ai.completion",
                        "[{\"role\":\"assistant\",\"content\":\"secret answer\",\"tool_calls\":[{\"id\":\"t1\",\"type\":\"function\","
                                + "\"function\":{\"name\":\"search\",\"arguments\":\"{\\\"q\\\":\\\"x\\\"}\"}}]}]"))
                .map();

        assertThat(step.inputChars()).isEqualTo("secret question".length());
        assertThat(step.outputChars()).isEqualTo("secret answer".length());
        assertThat(step.requestedToolCalls()).containsExactly(new ToolCallRequest("t1", "search", TextDigest.of("{\"q\":\"x\"}")));
        assertThat(step.toString()).doesNotContain("secret");
    }
}
