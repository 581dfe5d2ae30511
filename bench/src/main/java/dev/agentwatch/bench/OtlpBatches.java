package dev.agentwatch.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic OTLP export batches, as an SDK's batch span processor sends them: 512 spans of
 * about 20 attributes, from 32 agent runs of 16 spans (an agent span, model calls with token
 * counts and short prompt/completion messages, tool calls with arguments and results).
 */
final class OtlpBatches {
    static final int SPANS_PER_BATCH = 512;
    static final int SPANS_PER_TRACE = 16;

    private OtlpBatches() {
    }

    /**
     * {@code count} distinct batches, serialized. With {@code content}, model spans carry their
     * input/output messages and tool spans their arguments and result (OpenInference and
     * OpenLLMetry capture content by default); without, those attributes are absent (the OTel
     * GenAI instrumentations' default), and the collector has no content to remove.
     */
    static List<byte[]> create(int count, long seed, boolean content) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> batches = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ExportTraceServiceRequest batch = batch(random);
            batches.add((content ? batch : withoutContent(batch)).toByteArray());
        }
        return batches;
    }

    private static ExportTraceServiceRequest withoutContent(ExportTraceServiceRequest batch) {
        ExportTraceServiceRequest.Builder out = batch.toBuilder();
        for (var span : out.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilderList()) {
            List<KeyValue> kept = span.getAttributesList().stream()
                    .filter(kv -> !dev.agentwatch.model.otlp.SpanContentFilter.isContentKey(kv.getKey())).toList();
            span.clearAttributes().addAllAttributes(kept);
        }
        return out.build();
    }

    private static ExportTraceServiceRequest batch(SplittableRandom random) {
        Resource resource = Resource.newBuilder()
                .addAttributes(kv("service.name", "support-agent"))
                .addAttributes(kv("service.version", "2.14.1"))
                .addAttributes(kv("deployment.environment.name", "production"))
                .addAttributes(kv("telemetry.sdk.language", "python"))
                .addAttributes(kv("telemetry.sdk.name", "opentelemetry"))
                .addAttributes(kv("telemetry.sdk.version", "1.38.0"))
                .build();
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("opentelemetry.instrumentation.openai_v2").setVersion("0.59b0"));
        long now = System.currentTimeMillis() * 1_000_000L;
        for (int t = 0; t < SPANS_PER_BATCH / SPANS_PER_TRACE; t++) {
            byte[] traceId = new byte[16];
            random.nextBytes(traceId);
            ByteString trace = ByteString.copyFrom(traceId);
            ByteString root = spanId(random);
            scope.addSpans(span(trace, root, ByteString.EMPTY, "invoke_agent support", now, 4_000_000_000L)
                    .addAttributes(kv("gen_ai.operation.name", "invoke_agent"))
                    .addAttributes(kv("gen_ai.agent.name", "support"))
                    .addAttributes(kv("gen_ai.agent.id", "agt_" + random.nextInt(1000)))
                    .addAttributes(kv("gen_ai.conversation.id", "conv_" + Long.toHexString(random.nextLong())))
                    .addAttributes(kv("agentwatch.subject.id", "ticket-" + random.nextInt(1_000_000)))
                    .addAttributes(kv("agentwatch.outcome.claimed", "resolved"))
                    .addAttributes(kv("gen_ai.usage.input_tokens", 5200L + random.nextInt(2000)))
                    .addAttributes(kv("gen_ai.usage.output_tokens", 600L + random.nextInt(300)))
                    .addAttributes(kv("user.id", "u_" + random.nextInt(100_000)))
                    .addAttributes(kv("session.id", "s_" + random.nextInt(100_000)))
                    .addAttributes(kv("deployment.region", "eu-west-1"))
                    .addAttributes(kv("agent.framework", "openai-agents"))
                    .addAttributes(kv("agent.max_turns", 10L))
                    .addAttributes(kv("http.route", "/v1/support/chat"))
                    .addAttributes(kv("enduser.tier", "gold"))
                    .addAttributes(kv("feature.flag.router", "v2"))
                    .addAttributes(kv("retry.count", 0L))
                    .addAttributes(kv("request.id", Long.toHexString(random.nextLong())))
                    .addAttributes(kv("tenant.region", "eu"))
                    .addAttributes(kv("app.build", "2026.11.3"))
                    .build());
            for (int s = 1; s < SPANS_PER_TRACE; s++) {
                long start = now + s * 200_000_000L;
                if (s % 2 == 1) {
                    scope.addSpans(span(trace, spanId(random), root, "chat gpt-4o-mini", start, 180_000_000L)
                            .addAttributes(kv("gen_ai.operation.name", "chat"))
                            .addAttributes(kv("gen_ai.provider.name", "openai"))
                            .addAttributes(kv("gen_ai.request.model", "gpt-4o-mini"))
                            .addAttributes(kv("gen_ai.response.model", "gpt-4o-mini-2024-07-18"))
                            .addAttributes(kv("gen_ai.response.id", "chatcmpl-" + Long.toHexString(random.nextLong())))
                            .addAttributes(kv("gen_ai.request.temperature", 0.2))
                            .addAttributes(kv("gen_ai.request.max_tokens", 1024L))
                            .addAttributes(kv("gen_ai.usage.input_tokens", 600L + random.nextInt(400)))
                            .addAttributes(kv("gen_ai.usage.output_tokens", 40L + random.nextInt(120)))
                            .addAttributes(kv("gen_ai.usage.cache_read.input_tokens", (long) random.nextInt(300)))
                            .addAttributes(kv("gen_ai.response.finish_reasons", "tool_calls"))
                            .addAttributes(kv("server.address", "api.openai.com"))
                            .addAttributes(kv("server.port", 443L))
                            .addAttributes(kv("gen_ai.conversation.id", "conv_1"))
                            .addAttributes(kv("gen_ai.agent.name", "support"))
                            .addAttributes(kv("gen_ai.output.type", "text"))
                            .addAttributes(kv("http.response.status_code", 200L))
                            .addAttributes(kv("llm.is_streaming", false))
                            .addAttributes(kv("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\","
                                    + "\"content\":\"My order " + random.nextInt(100000) + " arrived damaged, can I get a refund?\"}]}]"))
                            .addAttributes(kv("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"tool_call\","
                                    + "\"id\":\"call_" + random.nextInt(100000) + "\",\"name\":\"lookup_order\",\"arguments\":"
                                    + "{\"order_id\":\"" + random.nextInt(100000) + "\"}}],\"finish_reason\":\"tool_call\"}]"))
                            .build());
                } else {
                    scope.addSpans(span(trace, spanId(random), root, "execute_tool lookup_order", start, 40_000_000L)
                            .addAttributes(kv("gen_ai.operation.name", "execute_tool"))
                            .addAttributes(kv("gen_ai.tool.name", "lookup_order"))
                            .addAttributes(kv("gen_ai.tool.type", "function"))
                            .addAttributes(kv("gen_ai.tool.call.id", "call_" + random.nextInt(100000)))
                            .addAttributes(kv("gen_ai.tool.description", "Looks an order up by id"))
                            .addAttributes(kv("gen_ai.conversation.id", "conv_1"))
                            .addAttributes(kv("gen_ai.agent.name", "support"))
                            .addAttributes(kv("db.system.name", "postgresql"))
                            .addAttributes(kv("db.operation.name", "SELECT"))
                            .addAttributes(kv("db.collection.name", "orders"))
                            .addAttributes(kv("server.address", "orders-db.internal"))
                            .addAttributes(kv("server.port", 5432L))
                            .addAttributes(kv("network.peer.address", "10.0.3.17"))
                            .addAttributes(kv("code.function.name", "lookup_order"))
                            .addAttributes(kv("code.file.path", "agent/tools/orders.py"))
                            .addAttributes(kv("code.line.number", 42L))
                            .addAttributes(kv("thread.id", (long) random.nextInt(64)))
                            .addAttributes(kv("retry.count", 0L))
                            .addAttributes(kv("gen_ai.tool.call.arguments", "{\"order_id\":\"" + random.nextInt(100000) + "\"}"))
                            .addAttributes(kv("gen_ai.tool.call.result", "{\"status\":\"delivered\",\"damaged\":true,\"amount\":"
                                    + random.nextInt(500) + "}"))
                            .build());
                }
            }
        }
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
                .build();
    }

    private static Span.Builder span(ByteString trace, ByteString id, ByteString parent, String name, long start, long durationNanos) {
        return Span.newBuilder().setTraceId(trace).setSpanId(id).setParentSpanId(parent).setName(name)
                .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                .setStartTimeUnixNano(start).setEndTimeUnixNano(start + durationNanos)
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
    }

    private static ByteString spanId(SplittableRandom random) {
        byte[] id = new byte[8];
        random.nextBytes(id);
        id[0] |= 1;
        return ByteString.copyFrom(id);
    }

    private static KeyValue kv(String key, Object value) {
        AnyValue.Builder v = AnyValue.newBuilder();
        switch (value) {
            case String s -> v.setStringValue(s);
            case Long l -> v.setIntValue(l);
            case Double d -> v.setDoubleValue(d);
            case Boolean b -> v.setBoolValue(b);
            default -> throw new IllegalArgumentException(value.toString());
        }
        return KeyValue.newBuilder().setKey(key).setValue(v).build();
    }
}
