package dev.agentwatch.model.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The content filter on its own; every mapper test also checks it through {@link TestSpans#map}. */
class SpanContentFilterTest {

    private static final SpanContentFilter REMOVING = SpanContentFilter.removing();

    @ParameterizedTest
    @ValueSource(strings = {"ok", "tool_error", "llm_error", "loop"})
    void realCapturesLoseTheirContentButMapToTheSameSteps(String scenario) {
        for (ExportTraceServiceRequest request : SharedReference.capture(scenario)) {
            ExportTraceServiceRequest filtered = REMOVING.apply(request);

            assertThat(TestSpans.MAPPER.map("acme", filtered)).isEqualTo(TestSpans.MAPPER.map("acme", request));
            List<Span> spans = filtered.getResourceSpansList().stream()
                    .flatMap(rs -> rs.getScopeSpansList().stream()).flatMap(ss -> ss.getSpansList().stream()).toList();
            assertThat(spans).allSatisfy(span -> assertThat(span.getAttributesList()).extracting(KeyValue::getKey)
                    .doesNotContain("input.value", "output.value", "llm.input_messages.0.message.content")
                    .noneMatch(SpanContentFilter::isContentKey));
            assertThat(filtered.toString()).doesNotContain("What is the weather in Paris?");
        }
    }

    @Test
    void keepsToolNamesAndCallIdsButNotArguments() {
        Span span = TestSpans.span("ChatOpenAI")
                .attr("openinference.span.kind", "LLM")
                .attr("llm.output_messages.0.message.role", "assistant")
                .attr("llm.output_messages.0.message.tool_calls.0.tool_call.id", "call_1")
                .attr("llm.output_messages.0.message.tool_calls.0.tool_call.function.name", "refund")
                .attr("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments", "{\"card\":\"4111\"}")
                .build();

        Span filtered = REMOVING.apply(span);

        assertThat(filtered.getAttributesList()).extracting(KeyValue::getKey)
                .contains("llm.output_messages.0.message.role",
                        "llm.output_messages.0.message.tool_calls.0.tool_call.id",
                        "llm.output_messages.0.message.tool_calls.0.tool_call.function.name",
                        AgentwatchAttributes.CONTENT_SUMMARIZED, AgentwatchAttributes.CONTENT_TOOL_CALLS)
                .doesNotContain("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments");
        assertThat(TestSpans.map(filtered).requestedToolCalls()).singleElement().satisfies(call -> {
            assertThat(call.callId()).isEqualTo("call_1");
            assertThat(call.toolName()).isEqualTo("refund");
            assertThat(call.argumentsHash()).hasSize(16);
        });
    }

    @Test
    void removesContentEventsAndCountsThem() {
        Span span = TestSpans.span("chat")
                .attr("gen_ai.operation.name", "chat")
                .event("gen_ai.content.prompt", Map.of("gen_ai.prompt", "[{\"role\":\"user\",\"content\":\"hi\"}]"))
                .event("gen_ai.user.message", Map.of("content", "hi"))
                .event("exception", Map.of("exception.type", "Timeout"))
                .build();

        Span filtered = REMOVING.apply(span);

        assertThat(filtered.getEventsList()).extracting(Span.Event::getName).containsExactly("exception");
        assertThat(filtered.getDroppedEventsCount()).isEqualTo(2);
        assertThat(SpanAttributes.of(filtered.getAttributesList()).integer(AgentwatchAttributes.CONTENT_EVENTS_REMOVED))
                .hasValue(2);
        assertThat(TestSpans.map(filtered).inputChars()).isEqualTo(2);
    }

    @Test
    void keepsJudgeResultsSentAsEvaluationEventsWithTheSpan() {
        Span span = TestSpans.span("chat")
                .attr("gen_ai.operation.name", "chat")
                .attr("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"no\"}]}]")
                .event("gen_ai.evaluation.result", Map.of("gen_ai.evaluation.name", "Relevance",
                        "gen_ai.evaluation.score.value", 0.25, "gen_ai.evaluation.score.label", "irrelevant"))
                .build();

        Span filtered = REMOVING.apply(span);

        assertThat(filtered.getEventsList()).extracting(Span.Event::getName).containsExactly("gen_ai.evaluation.result");
        assertThat(TestSpans.map(filtered).evaluations()).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("Relevance");
            assertThat(e.label()).isEqualTo("irrelevant");
        });
    }

    @Test
    void redactingKeepsContentWithTheRedactorApplied() {
        Span span = TestSpans.span("tool")
                .attr("gen_ai.operation.name", "execute_tool")
                .attr("gen_ai.tool.name", "lookup")
                .attr("gen_ai.tool.call.arguments", "{\"email\":\"ann@example.com\"}")
                .build();

        Span filtered = SpanContentFilter.redacting(s -> s.replace("ann@example.com", "[EMAIL]")).apply(span);

        assertThat(SpanAttributes.of(filtered.getAttributesList()).string("gen_ai.tool.call.arguments"))
                .isEqualTo("{\"email\":\"[EMAIL]\"}");
        assertThat(TestSpans.map(filtered).toolArgumentsHash()).isEqualTo(TestSpans.map(span).toolArgumentsHash());
    }

    @Test
    void leavesSpansWithoutContentUntouched() {
        Span span = TestSpans.span("chat").attr("gen_ai.operation.name", "chat").attr("gen_ai.usage.input_tokens", 3).build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                        .addScopeSpans(io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder().addSpans(span)))
                .build();

        assertThat(REMOVING.apply(span)).isSameAs(span);
        assertThat(REMOVING.apply(request)).isSameAs(request);
    }

    @Test
    void aSecondPassChangesNothing() {
        Span span = TestSpans.span("chat")
                .attr("gen_ai.operation.name", "chat")
                .attr("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"ok\"}],"
                        + "\"finish_reason\":\"stop\"}]")
                .build();

        Span once = REMOVING.apply(span);

        assertThat(REMOVING.apply(once)).isEqualTo(once);
        assertThat(TestSpans.map(once).finishReason()).isEqualTo("stop");
        assertThat(TestSpans.map(once).outputChars()).isEqualTo(2);
    }

    @Test
    void recognisesContentKeysOfEveryConvention() {
        assertThat(List.of("gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions",
                "gen_ai.tool.call.arguments", "gen_ai.tool.call.result", "input.value", "output.value",
                "llm.input_messages.3.message.role", "llm.output_messages.0.message.content",
                "llm.output_messages.0.message.contents.1.message_content.text", "gen_ai.prompt.0.content",
                "gen_ai.completion.2.content", "gen_ai.completion.0.tool_calls.0.arguments", "traceloop.entity.input",
                "traceloop.entity.output", "llm.prompts.0.prompt.text", "retrieval.documents.0.document.content",
                "llm.prompts", "gen_ai.prompt", "gen_ai.completion", "gen_ai.retrieval.query.text", "llm.function_call",
                "llm.choices.0.completion.text", "embedding.embeddings.0.embedding.text", "reranker.query",
                "llm.output_messages.1.message.tool_calls.0.tool_call.function.arguments"))
                .allMatch(SpanContentFilter::isContentKey);
        assertThat(List.of("gen_ai.tool.name", "gen_ai.tool.call.id", "llm.output_messages.0.message.role",
                "llm.output_messages.0.message.tool_calls.0.tool_call.function.name", "gen_ai.prompt.0.role",
                "gen_ai.completion.0.finish_reason", "llm.model_name", "metadata", "llm.token_count.prompt",
                "gen_ai.response.finish_reasons", "input.mime_type", "llm.prompts_version", "gen_ai.tool.definitions",
                "gen_ai.request.model", "output.mime_type", "traceloop.entity.name", "reranker.model_name", ""))
                .noneMatch(SpanContentFilter::isContentKey);
    }
}
