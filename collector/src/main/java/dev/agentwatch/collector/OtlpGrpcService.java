package dev.agentwatch.collector;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.RetryInfo;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/**
 * OTLP/gRPC {@code opentelemetry.proto.collector.trace.v1.TraceService/Export}, defined by hand
 * (opentelemetry-proto ships no gRPC stubs). The API key comes from the {@code authorization:
 * Bearer <key>} or {@code x-api-key} metadata; the rest is the {@link TraceExporter} that
 * OTLP/HTTP uses. Status codes as OTLP maps them: UNAUTHENTICATED, INVALID_ARGUMENT,
 * RESOURCE_EXHAUSTED (too large, or too much in flight: with {@code RetryInfo}), UNAVAILABLE
 * with {@code RetryInfo} when Kafka did not acknowledge.
 */
final class OtlpGrpcService {
    static final String SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService";

    static final MethodDescriptor<ExportTraceServiceRequest, ExportTraceServiceResponse> EXPORT =
            MethodDescriptor.<ExportTraceServiceRequest, ExportTraceServiceResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Export"))
                    .setRequestMarshaller(ProtoUtils.marshaller(ExportTraceServiceRequest.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance()))
                    .build();

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> TENANT = Context.key("agentwatch.tenant");

    private final Authenticator authenticator;
    private final InFlightLimiter limiter;
    private final TraceExporter exporter;
    private final CollectorMetrics metrics;

    OtlpGrpcService(Authenticator authenticator, InFlightLimiter limiter, TraceExporter exporter, CollectorMetrics metrics) {
        this.authenticator = authenticator;
        this.limiter = limiter;
        this.exporter = exporter;
        this.metrics = metrics;
    }

    ServerServiceDefinition definition() {
        ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
                .addMethod(EXPORT, ServerCalls.asyncUnaryCall(this::export))
                .build();
        return ServerInterceptors.intercept(service, new ApiKeyInterceptor());
    }

    private void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> response) {
        try {
            limiter.acquireRequest();
            long bytes = request.getSerializedSize();
            try {
                limiter.acquireBytes(bytes);
                try {
                    response.onNext(exporter.export(TENANT.get(), request));
                    response.onCompleted();
                } finally {
                    limiter.releaseBytes(bytes);
                }
            } finally {
                limiter.releaseRequest();
            }
        } catch (Rejection rejection) {
            metrics.requestRejected(rejection.reason());
            response.onError(statusOf(rejection));
        }
    }

    static RuntimeException statusOf(Rejection rejection) {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(rejection.grpcCode().value())
                .setMessage(rejection.getMessage());
        if (rejection.retryAfterSeconds() > 0) {
            status.addDetails(Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(Duration.newBuilder().setSeconds(rejection.retryAfterSeconds())).build()));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

    /** Authenticates from metadata before the message is read; the tenant travels in the gRPC context. */
    private final class ApiKeyInterceptor implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                          ServerCallHandler<Q, R> next) {
            try {
                String tenant = authenticator.tenant(headers.get(AUTHORIZATION), headers.get(API_KEY));
                return Contexts.interceptCall(Context.current().withValue(TENANT, tenant), call, headers, next);
            } catch (Rejection rejection) {
                metrics.requestRejected(rejection.reason());
                call.close(Status.UNAUTHENTICATED.withDescription(rejection.getMessage()), new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
        }
    }
}
