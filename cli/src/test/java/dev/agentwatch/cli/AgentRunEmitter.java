package dev.agentwatch.cli;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.concurrent.TimeUnit;

/**
 * Emits agent runs through the real OpenTelemetry Java SDK and its OTLP/HTTP exporter, the way
 * an instrumented agent does (OTel GenAI conventions).
 */
final class AgentRunEmitter implements AutoCloseable {
    private final SdkTracerProvider provider;
    private final Tracer tracer;

    AgentRunEmitter(String endpoint, String apiKey) {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint)
                .addHeader("Authorization", "Bearer " + apiKey)
                .build();
        provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.builder().put("service.name", "claims-service").build()))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        tracer = provider.get("agentwatch-test");
    }

    /** One run: invoke_agent → chat (tokens) → execute_tool (failed). Returns the trace id. */
    String emitClaimsRun(String claimId) {
        Span root = tracer.spanBuilder("invoke_agent claims-agent").setSpanKind(SpanKind.INTERNAL)
                .setAttribute("gen_ai.operation.name", "invoke_agent")
                .setAttribute("gen_ai.agent.name", "claims-agent")
                .setAttribute("gen_ai.agent.version", "2.1.0")
                .setAttribute("agentwatch.subject.id", claimId)
                .setAttribute("agentwatch.outcome.claimed", "approved")
                .startSpan();
        Context rootContext = Context.current().with(root);
        Span chat = tracer.spanBuilder("chat gpt-4o-mini").setParent(rootContext).setSpanKind(SpanKind.CLIENT)
                .setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.provider.name", "openai")
                .setAttribute("gen_ai.request.model", "gpt-4o-mini")
                .setAttribute("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
                .setAttribute("gen_ai.usage.input_tokens", 1200L)
                .setAttribute("gen_ai.usage.output_tokens", 85L)
                .setAttribute(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), java.util.List.of("tool_calls"))
                .startSpan();
        chat.end();
        Span tool = tracer.spanBuilder("execute_tool check_coverage").setParent(rootContext)
                .setAttribute("gen_ai.operation.name", "execute_tool")
                .setAttribute("gen_ai.tool.name", "check_coverage")
                .setAttribute("gen_ai.tool.call.id", "call_1")
                .setAttribute("error.type", "TimeoutException")
                .startSpan();
        tool.setStatus(StatusCode.ERROR, "coverage service timed out");
        tool.end();
        root.end();
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
