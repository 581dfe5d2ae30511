package dev.agentwatch.model.otlp;

import static dev.agentwatch.model.otlp.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.TokenUsage;
import dev.agentwatch.model.ToolCallRequest;
import org.junit.jupiter.api.Test;

/** OpenLLMetry / Traceloop spans: decorator spans and vendor LLM spans, legacy and current. */
class OtlpSpanMapperOpenLlmetryTest {

    @Test
    void mapsWorkflowDecoratorRootToWorkflowNamedByEntity() {
        Step step = span("plan_trip.workflow").root()
                .attr("traceloop.span.kind", "workflow")
                .attr("traceloop.entity.name", "plan_trip")
                .attr("traceloop.workflow.name", "plan_trip")
                .attr("traceloop.association.properties.session_id", "s-1")
                .attr("traceloop.association.properties.agentwatch.subject.id", "trip-9")
                .attr("traceloop.entity.input", "{\"args\":[\"Rome\"],\"kwargs\":{}}")
                .map();

        assertThat(step.kind()).isEqualTo(StepKind.WORKFLOW);
        assertThat(step.operation()).isEqualTo("invoke_workflow");
        assertThat(step.name()).isEqualTo("plan_trip");
        assertThat(step.conversationId()).isEqualTo("s-1");
        assertThat(step.subjectId()).isEqualTo("trip-9");
        assertThat(step.inputChars()).isPositive();
        assertThat(step.toString()).doesNotContain("Rome");
    }

    @Test
    void mapsAgentTaskAndToolDecoratorSpans() {
        Step agent = span("booker.agent")
                .attr("traceloop.span.kind", "agent")
                .attr("traceloop.entity.name", "booker")
                .attr("traceloop.entity.version", "7")
                .map();
        Step task = span("pick_dates.task")
                .attr("traceloop.span.kind", "task")
                .attr("traceloop.entity.name", "pick_dates")
                .map();
        Step tool = span("search.tool")
                .attr("traceloop.span.kind", "tool")
                .attr("traceloop.entity.name", "search")
                .attr("traceloop.entity.input", "{\"args\":[],\"kwargs\":{\"q\":\"hotels\"}}")
                .attr("traceloop.entity.output", "\"Exception: search backend down\"")
                .map();

        assertThat(agent.kind()).isEqualTo(StepKind.AGENT);
        assertThat(agent.agentName()).isEqualTo("booker");
        assertThat(agent.agentVersion()).isEqualTo("7");
        assertThat(task.kind()).isEqualTo(StepKind.OTHER);
        assertThat(task.operation()).isEqualTo("task");
        assertThat(task.name()).isEqualTo("pick_dates.task");
        assertThat(tool.kind()).isEqualTo(StepKind.TOOL);
        assertThat(tool.toolName()).isEqualTo("search");
        assertThat(tool.toolArgumentsHash()).isEqualTo(TextDigest.of("{\"args\":[],\"kwargs\":{\"q\":\"hotels\"}}"));
        assertThat(tool.toolOutputLooksLikeError()).isTrue();
    }

    @Test
    void mapsLegacyVendorChatSpanWithFlattenedCompletionAndTotalTokens() {
        Step step = span("anthropic.chat")
                .attr("llm.request.type", "chat")
                .attr("gen_ai.system", "Anthropic")
                .attr("gen_ai.request.model", "claude-3-5-haiku-20241022")
                .attr("gen_ai.usage.prompt_tokens", 900)
                .attr("gen_ai.usage.completion_tokens", 100)
                .attr("llm.usage.total_tokens", 1_000)
                .attr("gen_ai.usage.cache_read_input_tokens", 400)
                .attr("gen_ai.usage.cache_creation_input_tokens", 100)
                .attr("gen_ai.agent.name", "booker")
                .attr("gen_ai.prompt.0.role", "user")
                .attr("gen_ai.prompt.0.content", "book me a hotel")
                .attr("gen_ai.completion.0.role", "assistant")
                .attr("gen_ai.completion.0.content", "")
                .attr("gen_ai.completion.0.finish_reason", "tool_use")
                .attr("gen_ai.completion.0.tool_calls.0.id", "toolu_1")
                .attr("gen_ai.completion.0.tool_calls.0.name", "search")
                .attr("gen_ai.completion.0.tool_calls.0.arguments", "{\"q\":\"hotels\"}")
                .map();

        assertThat(step.kind()).isEqualTo(StepKind.LLM);
        assertThat(step.operation()).isEqualTo("chat");
        assertThat(step.provider()).isEqualTo("anthropic");
        assertThat(step.tokens()).isEqualTo(new TokenUsage(900, 100, 400, 100, 0));
        assertThat(step.costUsd()).isPositive();
        assertThat(step.agentName()).isEqualTo("booker");
        assertThat(step.finishReason()).isEqualTo("tool_use");
        assertThat(step.requestedToolCalls()).containsExactly(
                new ToolCallRequest("toolu_1", "search", TextDigest.of("{\"q\":\"hotels\"}")));
        assertThat(step.inputChars()).isEqualTo("book me a hotel".length());
        assertThat(step.outputChars()).isZero();
        assertThat(step.outputHash()).isEqualTo(TextDigest.of(""));
        assertThat(step.toString()).doesNotContain("hotel");
    }

    @Test
    void countsBareTotalAsInput() {
        Step step = span("openai.completion")
                .attr("llm.request.type", "completion")
                .attr("llm.usage.total_tokens", 77)
                .map();

        assertThat(step.kind()).isEqualTo(StepKind.LLM);
        assertThat(step.operation()).isEqualTo("text_completion");
        assertThat(step.tokens().inputTokens()).isEqualTo(77);
        assertThat(step.tokens().outputTokens()).isZero();
    }

    @Test
    void mapsCurrentReleaseSpansByOperationName() {
        Step step = span("openai.chat")
                .attr("gen_ai.operation.name", "chat")
                .attr("gen_ai.provider.name", "openai")
                .attr("gen_ai.request.model", "o4-mini")
                .attr("gen_ai.usage.input_tokens", 10)
                .attr("gen_ai.usage.output_tokens", 5)
                .attr("gen_ai.usage.reasoning_tokens", 3)
                .attr("gen_ai.response.finish_reason", "stop")
                .map();

        assertThat(step.kind()).isEqualTo(StepKind.LLM);
        assertThat(step.tokens().reasoningTokens()).isEqualTo(3);
        assertThat(step.finishReason()).isEqualTo("stop");
    }
}
