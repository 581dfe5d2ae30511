package dev.agentwatch.detectors.it;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Agent runs emitted through the real OpenTelemetry Java SDK (OTel GenAI conventions), one span
 * exported at a time as it ends, as instrumented agents do. Span times are explicit, starting at
 * {@code base}, so runs are reproducible in event time.
 */
final class SdkAgentRuns implements AutoCloseable {
    private final SdkTracerProvider provider;
    private final Tracer tracer;

    SdkAgentRuns(KafkaProducer<String, byte[]> producer, String tenant) {
        provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.builder().put("service.name", "claims-service").build()))
                .addSpanProcessor(SimpleSpanProcessor.create(new KafkaSpanExporter(producer, tenant)))
                .build();
        tracer = provider.get("agentwatch-detectors-it");
    }

    /** A run in progress: add steps, then end it (or don't, for an unfinished run). */
    final class RunBuilder {
        private final Span root;
        private final Context context;
        private Instant clock;

        RunBuilder(String agent, Instant start, String claim) {
            this.clock = start;
            var builder = tracer.spanBuilder("invoke_agent " + agent).setStartTimestamp(start)
                    .setAttribute("gen_ai.operation.name", "invoke_agent")
                    .setAttribute("gen_ai.agent.name", agent)
                    .setAttribute("gen_ai.agent.version", "3.0.0");
            if (!claim.isEmpty()) {
                builder.setAttribute("agentwatch.outcome.claimed", claim);
            }
            root = builder.startSpan();
            context = Context.root().with(root);
        }

        RunBuilder chat(long millis, String finishReason, String requestedTool, String toolCallId) {
            Span chat = tracer.spanBuilder("chat gpt-4o-mini").setParent(context).setStartTimestamp(clock)
                    .setAttribute("gen_ai.operation.name", "chat")
                    .setAttribute("gen_ai.provider.name", "openai")
                    .setAttribute("gen_ai.request.model", "gpt-4o-mini")
                    .setAttribute("gen_ai.usage.input_tokens", 500L)
                    .setAttribute("gen_ai.usage.output_tokens", 40L)
                    .setAttribute(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"), List.of(finishReason))
                    .startSpan();
            if (!requestedTool.isEmpty()) {
                chat.setAttribute("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\",\"id\":\""
                        + toolCallId + "\",\"name\":\"" + requestedTool + "\",\"arguments\":{\"claim\":\"C-1\"}}],"
                        + "\"finish_reason\":\"tool_call\"}]");
            }
            advance(millis);
            chat.end(clock);
            return this;
        }

        RunBuilder tool(String name, long millis, String arguments, boolean failed) {
            Span tool = tracer.spanBuilder("execute_tool " + name).setParent(context).setStartTimestamp(clock)
                    .setAttribute("gen_ai.operation.name", "execute_tool")
                    .setAttribute("gen_ai.tool.name", name)
                    .setAttribute("gen_ai.tool.call.arguments", arguments)
                    .startSpan();
            if (failed) {
                tool.setAttribute("error.type", "TimeoutException");
                tool.setStatus(StatusCode.ERROR, "service timed out");
            }
            advance(millis);
            tool.end(clock);
            return this;
        }

        String end() {
            advance(10);
            root.end(clock);
            return traceId();
        }

        String traceId() {
            return root.getSpanContext().getTraceId();
        }

        private void advance(long millis) {
            clock = clock.plusMillis(millis);
        }
    }

    RunBuilder run(String agent, Instant start) {
        return new RunBuilder(agent, start, "");
    }

    RunBuilder run(String agent, Instant start, String claim) {
        return new RunBuilder(agent, start, claim);
    }

    @Override
    public void close() {
        provider.shutdown().join(30, TimeUnit.SECONDS);
    }
}
