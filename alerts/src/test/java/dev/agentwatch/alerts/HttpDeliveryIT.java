package dev.agentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Delivery with retries against real HTTP receivers on 127.0.0.1. */
@Timeout(60)
class HttpDeliveryIT {
    private static final String SECRET = "it-secret-0123456789abcdef";
    private final RecordingReceiver receiver = RecordingReceiver.start();
    private final AlertsMetrics metrics = new AlertsMetrics();
    private final HttpDelivery delivery = new HttpDelivery(HttpClient.newHttpClient(),
            new RetryPolicy(4, Duration.ofMillis(20), Duration.ofMillis(100)), Clock.systemUTC(), new SplittableRandom(7), metrics);

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aReceiverThatFailsTwiceThenSucceedsGetsExactlyOneAcceptedNotification() throws Exception {
        receiver.thenAnswer(RecordingReceiver.Answer.of(503), RecordingReceiver.Answer.of(500));
        Receiver.Webhook hook = webhook(URI.create(receiver.url("/hook")));

        DeliveryResult result = delivery.deliver(hook, request(hook, "n-1"), "n-1");

        assertThat(result).isEqualTo(new DeliveryResult.Delivered(200, 3));
        List<RecordingReceiver.Received> requests = receiver.received();
        assertThat(requests).extracting(RecordingReceiver.Received::answeredStatus).containsExactly(503, 500, 200);
        assertThat(requests).extracting(r -> r.header(OutgoingRequest.NOTIFICATION_ID_HEADER)).containsOnly("n-1");
        assertThat(metrics.retries("hook")).isEqualTo(2);
    }

    @Test
    void signsEveryAttemptSoTheReceiverCanVerifyIt() throws Exception {
        receiver.thenAnswer(RecordingReceiver.Answer.of(502));
        Receiver.Webhook hook = webhook(URI.create(receiver.url("/hook")));

        delivery.deliver(hook, request(hook, "n-2"), "n-2");

        WebhookSignatureVerifier verifier = new WebhookSignatureVerifier(SECRET, 300);
        long now = Clock.systemUTC().instant().getEpochSecond();
        assertThat(receiver.received()).hasSize(2).allSatisfy(r -> {
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(verifier.verify(r.header(WebhookSignature.HEADER), r.body(), now)).isTrue();
        });
    }

    @Test
    void doesNotRetryAClientErrorOtherThan429() throws Exception {
        receiver.thenAnswer(new RecordingReceiver.Answer(400, "invalid_payload", Map.of()));
        Receiver.Webhook hook = webhook(URI.create(receiver.url("/hook")));

        DeliveryResult result = delivery.deliver(hook, request(hook, "n-3"), "n-3");

        assertThat(result).isInstanceOfSatisfying(DeliveryResult.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo("http_400");
            assertThat(failed.detail()).contains("invalid_payload");
            assertThat(failed.attempts()).isEqualTo(1);
        });
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void retriesA429AfterTheRetryAfterItAskedFor() throws Exception {
        receiver.thenAnswer(new RecordingReceiver.Answer(429, "rate_limited", Map.of("Retry-After", "1")));
        Receiver.Webhook hook = webhook(URI.create(receiver.url("/hook")));

        DeliveryResult result = delivery.deliver(hook, request(hook, "n-4"), "n-4");

        assertThat(result).isInstanceOf(DeliveryResult.Delivered.class);
        List<RecordingReceiver.Received> requests = receiver.received();
        assertThat(requests).hasSize(2);
        assertThat(Duration.ofNanos(requests.get(1).receivedAtNanos() - requests.get(0).receivedAtNanos()))
                .as("waited at least the Retry-After, not the 20-100 ms backoff").isGreaterThanOrEqualTo(Duration.ofMillis(990));
    }

    @Test
    void givesUpOnAReceiverThatStaysDownPastTheRetryBudget() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Receiver.Webhook hook = webhook(URI.create("http://127.0.0.1:" + closedPort + "/hook"));

        DeliveryResult result = delivery.deliver(hook, request(hook, "n-5"), "n-5");

        assertThat(result).isInstanceOfSatisfying(DeliveryResult.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo("retries_exhausted");
            assertThat(failed.attempts()).isEqualTo(4);
            assertThat(failed.detail()).contains("ConnectException");
        });
        assertThat(metrics.retries("hook")).isEqualTo(3);
    }

    @Test
    void retriesATimeout() throws Exception {
        Receiver.Webhook hook = new Receiver.Webhook("hook", URI.create(receiver.url("/hook")), SECRET, true,
                Duration.ofMillis(200), 0, 0);
        try (SlowReceiver slow = SlowReceiver.start(Duration.ofSeconds(2))) {
            Receiver.Webhook slowHook = new Receiver.Webhook("hook", URI.create(slow.url()), SECRET, true, Duration.ofMillis(200), 0, 0);
            DeliveryResult result = delivery.deliver(slowHook, request(slowHook, "n-6"), "n-6");
            assertThat(result).isInstanceOfSatisfying(DeliveryResult.Failed.class,
                    failed -> assertThat(failed.detail()).contains("timeout after 200 ms"));
            assertThat(slow.requests()).isEqualTo(4);
        }
        assertThat(delivery.deliver(hook, request(hook, "n-7"), "n-7")).isInstanceOf(DeliveryResult.Delivered.class);
    }

    private static Receiver.Webhook webhook(URI url) {
        return new Receiver.Webhook("hook", url, SECRET, true, Duration.ofSeconds(5), 0, 0);
    }

    private static OutgoingRequest request(Receiver receiver, String id) {
        NotifiedAlert alert = new NotifiedAlert("fp", false, Map.of("alertname", "tool_loop"), Map.of("summary", "s"), 1, 0, "");
        return OutgoingRequest.of(receiver, new Notification(id, receiver.name(), "{}:{}", NotificationReason.FIRST_NOTIFICATION,
                Map.of(), List.of(alert), 1), "");
    }

    /** Accepts connections and answers only after a delay. */
    private static final class SlowReceiver implements AutoCloseable {
        private final com.sun.net.httpserver.HttpServer server;
        private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

        private SlowReceiver(com.sun.net.httpserver.HttpServer server) {
            this.server = server;
        }

        static SlowReceiver start(Duration delay) throws java.io.IOException {
            var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 16);
            SlowReceiver slow = new SlowReceiver(server);
            server.createContext("/", exchange -> {
                slow.requests.incrementAndGet();
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
                try (exchange) {
                    exchange.sendResponseHeaders(200, ok.length);
                    exchange.getResponseBody().write(ok);
                } catch (java.io.IOException e) {
                    // The client gave up already.
                }
            });
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return slow;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/slow";
        }

        int requests() {
            return requests.get();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
