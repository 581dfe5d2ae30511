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
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/gRPC {@code opentelemetry.proto.collector.trace.v1.TraceService/Export}, defined by hand
 * (opentelemetry-proto ships no gRPC stubs). The API key comes from the {@code authorization:
 * Bearer <key>} or {@code x-api-key} metadata; the rest is the {@link TraceExporter} that
 * OTLP/HTTP uses. Status codes as OTLP maps them: UNAUTHENTICATED, INVALID_ARGUMENT,
 * RESOURCE_EXHAUSTED (too large, or too much in flight: with {@code RetryInfo}), UNAVAILABLE
 * with {@code RetryInfo} when Kafka did not acknowledge.
 */
final class OtlpGrpcService {
    private static final Logger LOG = LoggerFactory.getLogger(OtlpGrpcService.class);
    static final String SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService";

    /**
     * The request stays bytes (gRPC has already checked its size and undone its compression), so
     * it takes the same one-pass wire path as OTLP/HTTP protobuf, and a malformed one is refused by
     * our code with INVALID_ARGUMENT and a reason rather than by the marshaller.
     */
    static final MethodDescriptor<byte[], ExportTraceServiceResponse> EXPORT =
            MethodDescriptor.<byte[], ExportTraceServiceResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Export"))
                    .setRequestMarshaller(new BytesMarshaller())
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

    private void export(byte[] body, StreamObserver<ExportTraceServiceResponse> response) {
        try {
            limiter.acquireRequest();
            long bytes = body.length;
            try {
                limiter.acquireBytes(bytes);
                try {
                    response.onNext(exporter.exportProtobuf(TENANT.get(), body));
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
        } catch (RuntimeException e) {
            // Counted like the HTTP endpoint's, rather than left to gRPC as an uncounted UNKNOWN.
            LOG.error("internal error on gRPC Export", e);
            metrics.requestRejected("internal_error");
            response.onError(Status.INTERNAL.withDescription("internal error: " + e).asRuntimeException());
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

    /** A message as its bytes. */
    static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw Status.INTERNAL.withDescription("cannot read the request: " + e.getMessage()).withCause(e)
                        .asRuntimeException();
            }
        }
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
