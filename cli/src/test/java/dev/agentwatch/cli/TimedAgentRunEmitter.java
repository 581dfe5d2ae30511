package dev.agentwatch.cli;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Emits agent runs at chosen event times through the real OpenTelemetry Java SDK and its OTLP/HTTP
 * exporter (OTel GenAI conventions plus the agentwatch subject and claim attributes, and a
 * {@code gen_ai.evaluation.result} event for the judge), so that tests can place runs in past hours.
 */
final class TimedAgentRunEmitter implements AutoCloseable {
    private final SdkTracerProvider provider;
    private final Tracer tracer;

    TimedAgentRunEmitter(String endpoint, String apiKey) {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint)
                .addHeader("Authorization", "Bearer " + apiKey)
                .build();
        provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.builder().put("service.name", "outcomes-it").build()))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        tracer = provider.get("agentwatch-outcomes-it");
    }

    /** What one run does and claims. */
    record RunSpec(String agent, String version, String subject, String claim, double judgeScore, boolean toolFails,
                   Instant end) {
    }

    /** invoke_agent → chat → execute_tool (failing when asked, while the run ends OK). Returns the trace id. */
    String emit(RunSpec spec) {
        Instant start = spec.end().minus(Duration.ofSeconds(20));
        Span root = tracer.spanBuilder("invoke_agent " + spec.agent()).setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(start)
                .setAttribute("gen_ai.operation.name", "invoke_agent")
                .setAttribute("gen_ai.agent.name", spec.agent())
                .setAttribute("gen_ai.agent.version", spec.version())
                .startSpan();
        if (!spec.subject().isEmpty()) {
            root.setAttribute("agentwatch.subject.id", spec.subject());
        }
        if (!spec.claim().isEmpty()) {
            root.setAttribute("agentwatch.outcome.claimed", spec.claim());
        }
        Context rootContext = Context.current().with(root);
        Span chat = tracer.spanBuilder("chat gpt-4o-mini").setParent(rootContext).setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(start.plusSeconds(1))
                .setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.provider.name", "openai")
                .setAttribute("gen_ai.request.model", "gpt-4o-mini")
                .setAttribute("gen_ai.usage.input_tokens", 900L)
                .setAttribute("gen_ai.usage.output_tokens", 60L)
                .setAttribute(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), java.util.List.of("tool_calls"))
                .startSpan();
        chat.end(start.plusSeconds(5));
        Span tool = tracer.spanBuilder("execute_tool check_coverage").setParent(rootContext)
                .setStartTimestamp(start.plusSeconds(6))
                .setAttribute("gen_ai.operation.name", "execute_tool")
                .setAttribute("gen_ai.tool.name", "check_coverage")
                .setAttribute("gen_ai.tool.call.id", "call_1")
                .startSpan();
        if (spec.toolFails()) {
            tool.setAttribute("error.type", "TimeoutException");
            tool.setStatus(StatusCode.ERROR, "coverage service timed out");
        }
        tool.end(start.plusSeconds(9));
        if (!Double.isNaN(spec.judgeScore())) {
            root.addEvent("gen_ai.evaluation.result", Attributes.builder()
                    .put("gen_ai.evaluation.name", "correctness")
                    .put("gen_ai.evaluation.score.value", spec.judgeScore())
                    .build(), spec.end().minusSeconds(1));
        }
        root.end(spec.end());
        return root.getSpanContext().getTraceId();
    }

    void flush() {
        provider.forceFlush().join(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        provider.shutdown().join(30, TimeUnit.SECONDS);
    }
}
