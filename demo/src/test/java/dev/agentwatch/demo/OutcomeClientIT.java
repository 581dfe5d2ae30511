package dev.agentwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The outcome client over real HTTP against a loopback server that answers as told. (The
 * collector's own outcome API is being built; this pins the client's side of the contract.)
 */
@Timeout(60)
class OutcomeClientIT {
    private static final OutcomePost OUTCOME = new OutcomePost("4bf92f3577b34da6a3ce929d0e0e4736", "", "incorrect", "denied",
            "customer", Instant.parse("2026-11-12T08:30:00Z"), "appeal", Map.of("fleet_id", "it"));

    private HttpServer server;
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    private record Answer(int status, String retryAfter, String body) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/v1/outcomes", exchange -> {
            try (exchange) {
                requests.incrementAndGet();
                bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
                Answer answer = answers.isEmpty() ? new Answer(202, null, "{}") : answers.poll();
                if (answer.retryAfter() != null) {
                    exchange.getResponseHeaders().set("Retry-After", answer.retryAfter());
                }
                byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.status(), body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void postsTheJsonWithTheApiKeyAsBearerToken() {
        client(5).post(OUTCOME);
        assertThat(requests).hasValue(1);
        assertThat(bodies).containsExactly(OUTCOME.toJson());
        assertThat(authorizations).containsExactly("Bearer secret-key");
    }

    @Test
    void retries429And503AfterTheServersRetryAfter() {
        answers.add(new Answer(429, "2", "{\"error\":\"slow down\"}"));
        answers.add(new Answer(503, "1", "{\"error\":\"kafka unavailable\"}"));
        client(5).post(OUTCOME);
        assertThat(requests).hasValue(3);
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1));
    }

    @Test
    void aRetryAfterBeyondTheCapWaitsOnlyTheCap() {
        answers.add(new Answer(429, "3600", ""));
        client(2).post(OUTCOME);
        assertThat(waits).containsExactly(Duration.ofSeconds(10));
    }

    @Test
    void aClientErrorFailsAtOnceWithTheStatusAndTheServersMessage() {
        answers.add(new Answer(400, null, "{\"error\":\"verdict must be correct, incorrect or partial\"}"));
        assertThatThrownBy(() -> client(5).post(OUTCOME))
                .isInstanceOfSatisfying(OutcomeRejectedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.retryable()).isFalse();
                })
                .hasMessageContaining("400").hasMessageContaining("verdict must be correct");
        assertThat(requests).hasValue(1);
    }

    @Test
    void anUnknownKeyIsNotRetried() {
        answers.add(new Answer(401, null, "unknown API key"));
        assertThatThrownBy(() -> client(5).post(OUTCOME)).hasMessageContaining("401").hasMessageContaining("unknown API key");
        assertThat(requests).hasValue(1);
    }

    @Test
    void aServerThatStaysUnavailableIsGivenUpOnAfterTheLastAttempt() {
        for (int i = 0; i < 3; i++) {
            answers.add(new Answer(503, null, "down"));
        }
        assertThatThrownBy(() -> client(3).post(OUTCOME))
                .isInstanceOfSatisfying(OutcomeRejectedException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageContaining("gave up after 3 attempts").hasMessageContaining("503");
        assertThat(requests).hasValue(3);
        assertThat(waits).hasSize(2);
    }

    @Test
    void aServerThatIsNotThereIsRetriedThenReported() {
        int port = server.getAddress().getPort();
        server.stop(0);
        OutcomeClient client = new OutcomeClient(URI.create("http://127.0.0.1:" + port), "k", HttpClient.newHttpClient(),
                2, Duration.ofSeconds(10), waits::add);
        assertThatThrownBy(() -> client.post(OUTCOME))
                .isInstanceOfSatisfying(OutcomeRejectedException.class, e -> assertThat(e.status()).isZero())
                .hasMessageContaining("cannot reach the outcome API");
    }

    private OutcomeClient client(int attempts) {
        return new OutcomeClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "secret-key",
                HttpClient.newHttpClient(), attempts, Duration.ofSeconds(10), waits::add);
    }
}
