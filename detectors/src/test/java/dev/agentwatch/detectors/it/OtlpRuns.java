package dev.agentwatch.detectors.it;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;

/**
 * OTLP requests of one run each (one trace, as the collector writes them): an agent root that ends
 * OK, a model call, a failed tool call whose error the agent swallows, and a final model call:
 * four steps, one run and one {@code swallowed_error} finding per run.
 */
final class OtlpRuns {
    static final int STEPS_PER_RUN = 4;

    private OtlpRuns() {
    }

    static String traceId(long seed, int run) {
        return String.format("%016x%016x", seed, run + 1L);
    }

    static ExportTraceServiceRequest swallowedToolError(long seed, int run, long startNanos) {
        String trace = traceId(seed, run);
        String root = String.format("%016x", 4L * run + 1);
        Span.Builder agent = span(trace, root, "", "invoke_agent claims-agent", startNanos, startNanos + 3_000_000_000L)
                .addAttributes(attr("gen_ai.operation.name", "invoke_agent"))
                .addAttributes(attr("gen_ai.agent.name", "restart-agent"));
        Span.Builder chat1 = chat(trace, String.format("%016x", 4L * run + 2), root, startNanos + 10_000_000L);
        Span.Builder tool = span(trace, String.format("%016x", 4L * run + 3), root, "execute_tool check_coverage",
                startNanos + 900_000_000L, startNanos + 950_000_000L)
                .addAttributes(attr("gen_ai.operation.name", "execute_tool"))
                .addAttributes(attr("gen_ai.tool.name", "check_coverage"))
                .addAttributes(attr("error.type", "TimeoutException"))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("timed out"));
        Span.Builder chat2 = chat(trace, String.format("%016x", 4L * run + 4), root, startNanos + 1_000_000_000L);
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", "claims-service")))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(chat1).addSpans(tool).addSpans(chat2).addSpans(agent)))
                .build();
    }

    private static Span.Builder chat(String trace, String id, String parent, long start) {
        return span(trace, id, parent, "chat gpt-4o-mini", start, start + 800_000_000L)
                .addAttributes(attr("gen_ai.operation.name", "chat"))
                .addAttributes(attr("gen_ai.provider.name", "openai"))
                .addAttributes(attr("gen_ai.request.model", "gpt-4o-mini"))
                .addAttributes(KeyValue.newBuilder().setKey("gen_ai.usage.input_tokens")
                        .setValue(AnyValue.newBuilder().setIntValue(700)))
                .addAttributes(KeyValue.newBuilder().setKey("gen_ai.usage.output_tokens")
                        .setValue(AnyValue.newBuilder().setIntValue(60)));
    }

    static Span.Builder span(String trace, String id, String parent, String name, long start, long end) {
        HexFormat hex = HexFormat.of();
        Span.Builder span = Span.newBuilder().setTraceId(ByteString.copyFrom(hex.parseHex(trace)))
                .setSpanId(ByteString.copyFrom(hex.parseHex(id))).setName(name)
                .setStartTimeUnixNano(start).setEndTimeUnixNano(end);
        if (!parent.isEmpty()) {
            span.setParentSpanId(ByteString.copyFrom(hex.parseHex(parent)));
        }
        return span;
    }

    static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}
