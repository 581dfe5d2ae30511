package dev.agentwatch.model.otlp;

import static dev.agentwatch.model.otlp.TestSpans.hex;
import static dev.agentwatch.model.otlp.TestSpans.kv;
import static dev.agentwatch.model.otlp.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.agentwatch.model.Evaluation;
import dev.agentwatch.model.PriceTable;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepStatus;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Convention-independent behaviour: ids, unknown spans, overrides, agentwatch attributes, evaluations. */
class OtlpSpanMapperTest {

    @Test
    void keepsUnknownSpanAsOtherNamedAfterSpan() {
        Step step = span("GET /api/orders").map();

        assertThat(step.kind()).isEqualTo(StepKind.OTHER);
        assertThat(step.name()).isEqualTo("GET /api/orders");
        assertThat(step.operation()).isEmpty();
        assertThat(step.status()).isEqualTo(StepStatus.UNSET);
        assertThat(step.tokens().totalTokens()).isZero();
        assertThat(step.service()).isEqualTo("support-bot");
        assertThat(step.runId()).isEqualTo(TestSpans.TRACE_ID);
        assertThat(step.parentStepId()).isEqualTo(TestSpans.PARENT_ID);
        assertThat(step.durationNanos()).isEqualTo(250_000_000L);
    }

    @Test
    void keepsSpanWithoutNameOrAttributes() {
        Step step = span("").map();

        assertThat(step.kind()).isEqualTo(StepKind.OTHER);
        assertThat(step.name()).isEqualTo("other");
    }

    @Test
    void classifiesByAttributesNotSpanNames() {
        assertThat(span("chat gpt-4o").map().kind()).isEqualTo(StepKind.OTHER);
        assertThat(span("execute_tool refund").map().kind()).isEqualTo(StepKind.OTHER);
        assertThat(span("invoke_agent").root().map().kind()).isEqualTo(StepKind.OTHER);
    }

    @Test
    void letsStepKindAttributeOverrideEveryConvention() {
        Step handoff = span("transfer_to_human_agents")
                .attr("openinference.span.kind", "TOOL")
                .attr("tool.name", "transfer_to_human_agents")
                .attr(AgentwatchAttributes.STEP_KIND, "HandOff")
                .map();
        Step ignored = span("x").attr("gen_ai.operation.name", "chat").attr(AgentwatchAttributes.STEP_KIND, "banana").map();

        assertThat(handoff.kind()).isEqualTo(StepKind.HANDOFF);
        assertThat(handoff.operation()).isEqualTo("execute_tool");
        assertThat(handoff.toolName()).isEqualTo("transfer_to_human_agents");
        assertThat(ignored.kind()).isEqualTo(StepKind.LLM);
    }

    @Test
    void mapsHandoffOperationNames() {
        assertThat(span("escalate").attr("gen_ai.operation.name", "human_handoff").map().kind()).isEqualTo(StepKind.HANDOFF);
        assertThat(span("escalate").attr("gen_ai.operation.name", "handoff").map().kind()).isEqualTo(StepKind.HANDOFF);
    }

    @Test
    void recognisesMcpToolCallsAndBareToolNames() {
        Step mcp = span("tools/call get_weather").attr("mcp.method.name", "tools/call").attr("gen_ai.tool.name", "get_weather").map();
        Step bare = span("tool").attr("gen_ai.tool.name", "lookup").map();

        assertThat(mcp.kind()).isEqualTo(StepKind.TOOL);
        assertThat(mcp.operation()).isEqualTo("execute_tool");
        assertThat(bare.kind()).isEqualTo(StepKind.TOOL);
    }

    @Test
    void readsAgentwatchAttributesFromAnySpan() {
        Step step = span("lookup")
                .attr(AgentwatchAttributes.SUBJECT_ID, "claim-1234")
                .attr(AgentwatchAttributes.OUTCOME_CLAIMED, "refund_issued")
                .attr(AgentwatchAttributes.AGENT_NAME, "refunds")
                .attr(AgentwatchAttributes.AGENT_VERSION, "1.4.2")
                .map();

        assertThat(step.subjectId()).isEqualTo("claim-1234");
        assertThat(step.claimedOutcome()).isEqualTo("refund_issued");
        assertThat(step.agentName()).isEqualTo("refunds");
        assertThat(step.agentVersion()).isEqualTo("1.4.2");
    }

    @Test
    void prefersGenAiAgentNameAndFallsBackToResourceButNeverToServiceName() {
        Resource resource = Resource.newBuilder()
                .addAttributes(kv("service.name", "support-bot"))
                .addAttributes(kv("service.version", "2026.08.1"))
                .build();
        Resource withAgent = resource.toBuilder().addAttributes(kv(AgentwatchAttributes.AGENT_NAME, "support")).build();

        Step span = TestSpans.map(resource, span("chat").attr("gen_ai.agent.name", "a").attr(AgentwatchAttributes.AGENT_NAME, "b").build());
        Step child = TestSpans.map(resource, span("chat").build());
        Step fromResource = TestSpans.map(withAgent, span("chat").build());

        assertThat(span.agentName()).isEqualTo("a");
        assertThat(child.agentName()).isEmpty();
        assertThat(child.agentVersion()).isEqualTo("2026.08.1");
        assertThat(fromResource.agentName()).isEqualTo("support");
    }

    @Test
    void turnsEvaluationEventsIntoEvaluations() {
        Step step = span("chat")
                .attr("gen_ai.operation.name", "chat")
                .event("gen_ai.evaluation.result", Map.of("gen_ai.evaluation.name", "Relevance",
                        "gen_ai.evaluation.score.value", 0.875, "gen_ai.evaluation.score.label", "relevant",
                        "gen_ai.evaluation.explanation", "mentions the user's order"))
                .event("gen_ai.evaluation.result", Map.of("gen_ai.evaluation.name", "Groundedness",
                        "gen_ai.evaluation.score.label", "fail"))
                .event("log", Map.of("event.name", "gen_ai.evaluation.result", "gen_ai.evaluation.name", "Tone",
                        "gen_ai.evaluation.score.value", 1L))
                .event("exception", Map.of("exception.message", "not an evaluation"))
                .map();

        assertThat(step.kind()).isEqualTo(StepKind.LLM);
        assertThat(step.evaluations()).containsExactly(
                new Evaluation("Relevance", 0.875, "relevant"),
                new Evaluation("Groundedness", Double.NaN, "fail"),
                new Evaluation("Tone", 1.0, ""));
        assertThat(step.toString()).doesNotContain("mentions the user");
    }

    @Test
    void mapsEvaluationAttributesOnAnEvaluationSpan() {
        Step step = span("evaluate")
                .attr("gen_ai.evaluation.name", "IntentResolution")
                .attr("gen_ai.evaluation.score.value", "4")
                .map();

        assertThat(step.kind()).isEqualTo(StepKind.EVALUATION);
        assertThat(step.name()).isEqualTo("IntentResolution");
        assertThat(step.evaluations()).containsExactly(new Evaluation("IntentResolution", 4.0, ""));
    }

    @Test
    void reportsExceptionOnOkSpanWithoutFailingIt() {
        Step step = span("tool")
                .attr("gen_ai.operation.name", "execute_tool")
                .status(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_OK, "")
                .event("exception", Map.of("exception.type", "TimeoutError", "exception.message", "retrying"))
                .map();

        assertThat(step.status()).isEqualTo(StepStatus.OK);
        assertThat(step.errorType()).isEqualTo("TimeoutError");
        assertThat(step.errorMessage()).isEqualTo("retrying");
    }

    @Test
    void clampsEndBeforeStartToZeroDuration() {
        Step step = span("late").times(2_000, 1_000).map();

        assertThat(step.startEpochNanos()).isEqualTo(2_000);
        assertThat(step.durationNanos()).isZero();
    }

    @Test
    void treatsAllZeroParentIdAsRoot() {
        Step step = span("root").ids(hex(TestSpans.TRACE_ID), hex("00f067aa0ba902b7"), ByteString.copyFrom(new byte[8])).map();

        assertThat(step.isRoot()).isTrue();
        assertThat(step.stepId()).isEqualTo("00f067aa0ba902b7");
    }

    @Test
    void rejectsAllZeroTraceId() {
        Span bad = span("x").ids(ByteString.copyFrom(new byte[16]), hex("00f067aa0ba902b7"), ByteString.EMPTY).build();

        assertThatThrownBy(() -> TestSpans.map(bad))
                .isInstanceOfSatisfying(InvalidSpanException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidSpanException.Reason.INVALID_TRACE_ID))
                .hasMessageContaining("invalid_trace_id");
    }

    @Test
    void rejectsWrongLengthIds() {
        Span shortSpanId = span("x").ids(hex(TestSpans.TRACE_ID), hex("00f067aa"), ByteString.EMPTY).build();
        Span missingSpanId = span("x").ids(hex(TestSpans.TRACE_ID), ByteString.EMPTY, ByteString.EMPTY).build();
        Span longTraceId = span("x").ids(hex(TestSpans.TRACE_ID + "00"), hex("00f067aa0ba902b7"), ByteString.EMPTY).build();
        Span badParent = span("x").ids(hex(TestSpans.TRACE_ID), hex("00f067aa0ba902b7"), hex("0102")).build();

        assertThat(reason(shortSpanId)).isEqualTo(InvalidSpanException.Reason.INVALID_SPAN_ID);
        assertThat(reason(missingSpanId)).isEqualTo(InvalidSpanException.Reason.INVALID_SPAN_ID);
        assertThat(reason(longTraceId)).isEqualTo(InvalidSpanException.Reason.INVALID_TRACE_ID);
        assertThat(reason(badParent)).isEqualTo(InvalidSpanException.Reason.INVALID_PARENT_SPAN_ID);
        assertThat(InvalidSpanException.Reason.INVALID_PARENT_SPAN_ID.label()).isEqualTo("invalid_parent_span_id");
    }

    @Test
    void rejectsTimesPastWhatASignedNanosecondCountHolds() {
        long year2026 = 1_795_923_246_000_000_000L;
        Span startPast2262 = span("x").times(Long.MIN_VALUE, year2026).build();
        Span endPast2262 = span("x").times(year2026, -1L).build();

        assertThat(reason(startPast2262)).isEqualTo(InvalidSpanException.Reason.INVALID_TIME);
        assertThat(reason(endPast2262)).isEqualTo(InvalidSpanException.Reason.INVALID_TIME);
        assertThatThrownBy(() -> TestSpans.map(endPast2262)).hasMessageContaining("end 18446744073709551615");
        assertThat(TestSpans.map(span("x").times(0, year2026).build()).durationNanos()).isEqualTo(year2026);
    }

    @Test
    void ignoresTokenCountsNoModelCallCouldHaveSoSumsCannotOverflow() {
        Span huge = span("chat").attr("gen_ai.operation.name", "chat").attr("gen_ai.request.model", "gpt-4o")
                .attr("gen_ai.usage.input_tokens", 1L << 62).attr("gen_ai.usage.cache_read.input_tokens", 1L << 62)
                .attr("gen_ai.usage.output_tokens", 250).build();
        Span largest = span("chat").attr("gen_ai.operation.name", "chat").attr("gen_ai.request.model", "gpt-4o")
                .attr("gen_ai.usage.input_tokens", OtlpSpanMapper.MAX_TOKEN_COUNT - 1)
                .attr("gen_ai.usage.cache_read.input_tokens", OtlpSpanMapper.MAX_TOKEN_COUNT).build();

        Step step = TestSpans.map(huge);
        assertThat(step.tokens().inputTokens()).isZero();
        assertThat(step.tokens().cacheReadTokens()).isZero();
        assertThat(step.tokens().outputTokens()).isEqualTo(250);
        // Cache reads above the input count mean the input excluded them: the largest counts still add up.
        assertThat(TestSpans.map(largest).tokens().inputTokens()).isEqualTo(2 * OtlpSpanMapper.MAX_TOKEN_COUNT - 1);
    }

    @Test
    void mapsValidSpansAndReportsInvalidOnesWithTheirReason() {
        Span good = span("good").build();
        Span bad = span("bad").ids(hex(TestSpans.TRACE_ID), ByteString.copyFrom(new byte[8]), ByteString.EMPTY).build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().setResource(TestSpans.RESOURCE)
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(good).addSpans(bad).addSpans(good)))
                .build();
        List<InvalidSpanException> rejected = new ArrayList<>();

        List<Step> steps = TestSpans.MAPPER.map("acme", request, rejected::add);

        assertThat(steps).extracting(Step::name).containsExactly("good", "good");
        assertThat(rejected).extracting(InvalidSpanException::reason).containsExactly(InvalidSpanException.Reason.INVALID_SPAN_ID);
        assertThatThrownBy(() -> TestSpans.MAPPER.map("acme", request)).isInstanceOf(InvalidSpanException.class);
    }

    @Test
    void requiresTenant() {
        assertThatThrownBy(() -> TestSpans.MAPPER.map(" ", TestSpans.RESOURCE, InstrumentationScope.getDefaultInstance(),
                span("x").build())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void costsNothingWithEmptyPriceTable() {
        OtlpSpanMapper mapper = new OtlpSpanMapper(PriceTable.empty());
        Span span = span("chat").attr("gen_ai.operation.name", "chat").attr("gen_ai.request.model", "gpt-4o")
                .attr("gen_ai.usage.input_tokens", 1000).build();

        assertThat(mapper.map("acme", TestSpans.RESOURCE, InstrumentationScope.getDefaultInstance(), span).costUsd()).isZero();
    }

    @Test
    void mapsConcurrentlyWithSameResults() throws Exception {
        ExportTraceServiceRequest request = SharedReference.capture("loop").getFirst();
        List<Step> expected = TestSpans.MAPPER.map("acme", request);
        try (var executor = Executors.newFixedThreadPool(8)) {
            List<Future<List<Step>>> futures = IntStream.range(0, 64)
                    .mapToObj(i -> executor.submit(() -> TestSpans.MAPPER.map("acme", request)))
                    .toList();
            for (Future<List<Step>> f : futures) {
                assertThat(f.get()).isEqualTo(expected);
            }
        }
    }

    private static InvalidSpanException.Reason reason(Span span) {
        try {
            TestSpans.map(span);
        } catch (InvalidSpanException e) {
            return e.reason();
        }
        throw new AssertionError("span was accepted");
    }
}
