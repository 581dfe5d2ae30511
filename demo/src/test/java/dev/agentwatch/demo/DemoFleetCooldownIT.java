package dev.agentwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * After its duration the fleet keeps clean traffic flowing, without failures or outcomes, until
 * every outcome is posted (to a loopback outcome API here) and for at least the cooldown.
 */
@Timeout(60)
class DemoFleetCooldownIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final Map<AgentKind, OpenTelemetrySdk> sdks = new EnumMap<>(AgentKind.class);
    private final List<JsonNode> received = Collections.synchronizedList(new ArrayList<>());
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        for (AgentKind agent : AgentKind.values()) {
            sdks.put(agent, OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build());
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/v1/outcomes", exchange -> {
            try (exchange) {
                received.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                byte[] body = "{\"accepted\":1}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(202, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        sdks.values().forEach(OpenTelemetrySdk::close);
    }

    @Test
    void cleanTrafficFlowsUntilEveryOutcomeIsPostedAndTheCooldownIsOver() {
        URI api = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        // A simulated day every 0.1 s: outcomes drain within 0.5 s of wall time.
        FleetConfig config = new FleetConfig("cool", 3, 40, List.of(AgentKind.values()), Duration.ofSeconds(2), 0,
                864_000, FailureMix.parse("none,loop=0.2,unfinished_run=0.2,wrong_decision=0.2"), 0.5, api, "key",
                "acme", true, true, Duration.ofSeconds(1), Optional.empty(), Optional.empty());
        DemoFleet fleet = new DemoFleet(config, sdks::get, () -> { }, () -> { },
                Optional.of(OutcomeClient.create(api, "key")), Clock.systemUTC());

        FleetResult result = fleet.run();

        List<RunLabel> labels = fleet.labels();
        long injecting = labels.size() - result.cooldownRuns();
        assertThat(result.cooldownRuns()).as("runs after the duration").isPositive();
        assertThat(result.wallElapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(labels).hasSize((int) result.runs());
        assertThat(labels.subList((int) injecting, labels.size())).allSatisfy(label -> {
            assertThat(label.failure()).isEmpty();
            assertThat(label.truthVerdict()).isEmpty();
            assertThat(label.finished()).isTrue();
        });
        assertThat(labels.subList(0, (int) injecting)).anySatisfy(label -> assertThat(label.failure()).isPresent());

        assertThat(result.outcomesFailed()).isZero();
        assertThat(result.outcomesPosted()).isEqualTo(result.outcomesScheduled()).isPositive();
        assertThat(received).hasSize((int) result.outcomesPosted());
        Set<String> injectingRuns = labels.subList(0, (int) injecting).stream()
                .flatMap(l -> java.util.stream.Stream.of(l.runId(), l.subjectId())).collect(Collectors.toSet());
        assertThat(received).allSatisfy(outcome -> assertThat(injectingRuns)
                .contains(outcome.has("run_id") ? outcome.get("run_id").asText() : outcome.get("subject_id").asText()));

        FleetProgress progress = fleet.progress();
        assertThat(progress.phase()).isEqualTo(FleetProgress.Phase.DONE);
        assertThat(progress.runs()).isEqualTo(result.runs());
        assertThat(progress.outcomesPending()).isZero();
        assertThat(progress.spans()).isEqualTo(exporter.getFinishedSpanItems().size()).isEqualTo(result.spans());
    }
}
