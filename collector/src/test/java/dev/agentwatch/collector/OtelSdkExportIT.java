package dev.agentwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.agentwatch.collector.Ingest.Tenant;
import dev.agentwatch.model.PriceTable;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.otlp.OtlpSpanMapper;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real OpenTelemetry Java SDK exporting to the running collector over OTLP/HTTP protobuf
 * (gzip), OTLP/HTTP JSON and OTLP/gRPC; the spans land in Kafka and normalize. The SDK's
 * {@code OtlpHttpSpanExporter} has no JSON option in 1.68, so the JSON body comes from the
 * SDK's own OTLP/JSON marshaller ({@code TraceRequestMarshaler.writeJsonTo}, what its
 * logging-otlp exporter uses) and is posted as {@code application/json}.
 */
@Timeout(180)
class OtelSdkExportIT {
    private static final OtlpSpanMapper MAPPER = new OtlpSpanMapper(PriceTable.defaults());
    private static final Tenant TENANT = Tenant.unique("sdk-export");
    private static final Tenant HTTP = Tenant.unique("sdk-http");
    private static final Tenant JSON = Tenant.unique("sdk-json");
    private static final Tenant GRPC = Tenant.unique("sdk-grpc");
    private static Collector collector;

    @BeforeAll
    static void start() {
        java.util.Map<String, String> keys = new java.util.HashMap<>();
        for (Tenant tenant : List.of(TENANT, HTTP, JSON, GRPC)) {
            keys.putAll(tenant.keys());
        }
        collector = Collector.start(new CollectorConfig("127.0.0.1", 0, 0, 64 * 1024, 256 * 1024, 64, 64L << 20, true,
                keys, "default", Ingest.config(TENANT).kafkaBootstrap(), 10_000, false));
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void httpProtobufWithGzip() {
        long fullParses = collector.metrics().protobufFullParses();
        emitRun(OtlpHttpSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + collector.httpPort() + "/v1/traces")
                .setCompression("gzip")
                .addHeader("Authorization", "Bearer " + HTTP.key())
                .build());
        assertRunLanded(HTTP);
        assertThat(collector.metrics().protobufFullParses()).as("the SDK's requests were split on the wire")
                .isEqualTo(fullParses);
    }

    @Test
    void httpJsonFromTheSdkMarshaller() {
        emitRun(new JsonHttpSpanExporter());
        assertRunLanded(JSON);
    }

    @Test
    void grpcWithGzip() {
        long fullParses = collector.metrics().protobufFullParses();
        emitRun(OtlpGrpcSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + collector.grpcPort())
                .setCompression("gzip")
                .addHeader("Authorization", "Bearer " + GRPC.key())
                .build());
        assertRunLanded(GRPC);
        assertThat(collector.metrics().protobufFullParses()).as("the SDK's requests were split on the wire")
                .isEqualTo(fullParses);
    }

    @Test
    void grpcRefusalsUseTheOtlpStatusCodes() {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", collector.grpcPort()).usePlaintext().build();
        try {
            ExportTraceServiceRequest valid = ExportTraceServiceRequest.newBuilder()
                    .addResourceSpans(TraceSplitterTest.resourceSpans("svc-grpc", TraceSplitterTest.span(61, 1)))
                    .build();

            assertThatThrownBy(() -> export(channel, null, valid)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED));
            assertThatThrownBy(() -> export(channel, "wrong", valid)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getDescription()).isEqualTo("unknown API key"));

            ExportTraceServiceRequest huge = ExportTraceServiceRequest.newBuilder()
                    .addResourceSpans(TraceSplitterTest.resourceSpans("svc-grpc", TraceSplitterTest.span(61, 2).toBuilder()
                            .setName("x".repeat(300 * 1024)).build()))
                    .build();
            assertThatThrownBy(() -> export(channel, TENANT.key(), huge)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED));

            ExportTraceServiceRequest badIds = ExportTraceServiceRequest.newBuilder()
                    .addResourceSpans(TraceSplitterTest.resourceSpans("svc-grpc", TraceSplitterTest.span(61, 3),
                            TraceSplitterTest.span(61, 4).toBuilder().setSpanId(ByteString.copyFrom(new byte[3])).build()))
                    .build();
            ExportTraceServiceResponse partial = export(channel, TENANT.key(), badIds);
            assertThat(partial.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
            assertThat(partial.getPartialSuccess().getErrorMessage()).contains("invalid span id");

            byte[] truncated = java.util.Arrays.copyOf(valid.toByteArray(), valid.getSerializedSize() - 3);
            assertThatThrownBy(() -> export(channel, TENANT.key(), truncated)).isInstanceOfSatisfying(StatusRuntimeException.class,
                    e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).startsWith("body is not an OTLP ExportTraceServiceRequest");
                    });

            assertThat(export(channel, TENANT.key(), valid).hasPartialSuccess()).isFalse();
            assertThat(collector.metrics().requestsRejected("missing_api_key")).isGreaterThanOrEqualTo(1);
        } finally {
            channel.shutdownNow();
        }
    }

    private static ExportTraceServiceResponse export(ManagedChannel channel, String key, ExportTraceServiceRequest request) {
        return export(channel, key, request.toByteArray());
    }

    private static ExportTraceServiceResponse export(ManagedChannel channel, String key, byte[] request) {
        Metadata headers = new Metadata();
        if (key != null) {
            headers.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), key);
        }
        return ClientCalls.blockingUnaryCall(io.grpc.ClientInterceptors.intercept(channel,
                MetadataUtils.newAttachHeadersInterceptor(headers)).newCall(OtlpGrpcService.EXPORT,
                CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS)), request);
    }

    /** One agent run (agent, model call, tool call) through {@code exporter}. */
    private static void emitRun(SpanExporter exporter) {
        String service = "sdk-export-it";
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.builder().put("service.name", service).build())
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build();
        try {
            Tracer tracer = provider.get("sdk-export-it");
            Span agent = tracer.spanBuilder("invoke_agent support").setAttribute("gen_ai.operation.name", "invoke_agent")
                    .setAttribute("gen_ai.agent.name", "support").startSpan();
            Context context = Context.current().with(agent);
            tracer.spanBuilder("chat gpt-4o").setParent(context)
                    .setAttribute("gen_ai.operation.name", "chat").setAttribute("gen_ai.provider.name", "openai")
                    .setAttribute("gen_ai.request.model", "gpt-4o").setAttribute("gen_ai.usage.input_tokens", 120L)
                    .setAttribute("gen_ai.usage.output_tokens", 8L)
                    .setAttribute("gen_ai.input.messages", "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"secret prompt\"}]}]")
                    .startSpan().end();
            tracer.spanBuilder("execute_tool lookup").setParent(context)
                    .setAttribute("gen_ai.operation.name", "execute_tool").setAttribute("gen_ai.tool.name", "lookup")
                    .setAttribute(AttributeKey.stringKey("gen_ai.tool.call.arguments"), "{\"order\":\"A-1\"}")
                    .startSpan().end();
            agent.end();
            assertThat(provider.forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).as("export succeeded").isTrue();
        } finally {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    private static void assertRunLanded(Tenant tenant) {
        var records = Ingest.spanRecords(tenant.name(), 3);
        assertThat(records).allSatisfy(r -> assertThat(Ingest.parse(r.value()).toString())
                .doesNotContain("secret prompt").doesNotContain("A-1"));
        List<Step> steps = records.stream()
                .flatMap(r -> MAPPER.map(tenant.name(), Ingest.parse(r.value())).stream())
                .toList();
        assertThat(steps).extracting(Step::kind).containsExactlyInAnyOrder(StepKind.AGENT, StepKind.LLM, StepKind.TOOL);
        assertThat(steps).extracting(Step::service).containsOnly("sdk-export-it");
        Step agent = steps.stream().filter(Step::isRoot).findFirst().orElseThrow();
        assertThat(agent.agentName()).isEqualTo("support");
        assertThat(steps).filteredOn(s -> !s.isRoot()).allSatisfy(s -> assertThat(s.parentStepId()).isEqualTo(agent.stepId()));
        Step llm = steps.stream().filter(s -> s.kind() == StepKind.LLM).findFirst().orElseThrow();
        assertThat(llm.model()).isEqualTo("gpt-4o");
        assertThat(llm.tokens().inputTokens()).isEqualTo(120);
        assertThat(llm.inputChars()).isEqualTo("secret prompt".length());
        Step tool = steps.stream().filter(s -> s.kind() == StepKind.TOOL).findFirst().orElseThrow();
        assertThat(tool.toolName()).isEqualTo("lookup");
        assertThat(tool.toolArgumentsHash()).hasSize(16);
    }

    /** Exports with the SDK's own OTLP/JSON marshaller over plain HTTP. */
    private static final class JsonHttpSpanExporter implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            try {
                TraceRequestMarshaler.create(spans).writeJsonTo(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            HttpResponse<byte[]> response = Ingest.post(collector, "/v1/traces", json.toByteArray(), "application/json",
                    JSON.key(), null);
            assertThat(response.statusCode()).as(Ingest.text(response)).isEqualTo(200);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
