package dev.agentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpServer;
import dev.agentwatch.alerts.WebhookSignature;
import dev.agentwatch.alerts.WebhookSignatureVerifier;
import dev.agentwatch.testkit.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans to on-call, end to end on real services: the OpenTelemetry SDK exports a run whose tool
 * failed while the agent claimed success; the collector, Kafka and the detectors turn it into a
 * {@code swallowed_error} finding; the alert notifier started by the stack routes it to a webhook
 * receiver on 127.0.0.1, which checks the signature.
 */
@Timeout(300)
class AlertsEndToEndIT {
    private static final String API_KEY = "aw_test_key_for_alerts_e2e";
    private static final String SECRET = "e2e-webhook-secret-0123456789";
    private static final List<Delivery> DELIVERED = new CopyOnWriteArrayList<>();
    /** Deleted by JUnit after the class's last test, with everything the services wrote. */
    @TempDir
    static Path tempDir;
    private static HttpServer receiver;
    private static Stack stack;
    private static String tenant;

    private record Delivery(String path, String signature, byte[] body) {
    }

    @BeforeAll
    static void startStack() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        receiver.createContext("/", exchange -> {
            try (exchange) {
                DELIVERED.add(new Delivery(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER), exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.start();
        String hookUrl = "http://127.0.0.1:" + receiver.getAddress().getPort();

        tenant = TestServices.uniqueName("alerts-e2e");
        Path dataDir = Files.createTempDirectory(tempDir, "agentwatch-alerts-e2e");
        Path alertsConfig = dataDir.resolve("alerts.yaml");
        Files.writeString(alertsConfig, """
                global:
                  run_url_template: "http://localhost:3000/d/agentwatch-agent?var-run_id={run_id}"
                route:
                  receiver: elsewhere
                  group_by: [tenant, alertname]
                  group_wait: 1s
                  routes:
                    - matchers: ['tenant="%1$s"', 'alertname="swallowed_error"']
                      receiver: on-call
                receivers:
                  - name: on-call
                    webhook: {url: "%2$s/on-call", secret: "%3$s"}
                  - name: elsewhere
                    webhook: {url: "%2$s/elsewhere", secret: "%3$s"}
                """.formatted(tenant, hookUrl, SECRET));
        Map<String, String> env = new HashMap<>();
        env.put("AGENTWATCH_DATA_DIR", dataDir.resolve("data").toString());
        env.put("AGENTWATCH_KAFKA_BOOTSTRAP_SERVERS", TestServices.kafkaBootstrap());
        env.put("AGENTWATCH_CLICKHOUSE_URL", TestServices.clickHouseUrl());
        env.put("AGENTWATCH_CLICKHOUSE_DATABASE", TestServices.uniqueDatabase("alerts_e2e"));
        env.put("AGENTWATCH_CLICKHOUSE_BATCH_AGE_MS", "200");
        env.put("AGENTWATCH_COLLECTOR_HTTP_PORT", "0");
        env.put("AGENTWATCH_DETECTORS_HTTP_PORT", "0");
        env.put("AGENTWATCH_COLLECTOR_GRPC_PORT", "0");
        env.put("AGENTWATCH_COLLECTOR_API_KEYS", DevApiKey.hash(API_KEY) + "=" + tenant);
        env.put("AGENTWATCH_DETECTORS_APPLICATION_ID", TestServices.uniqueName("alerts-e2e-detectors"));
        env.put("AGENTWATCH_ALERTS_APPLICATION_ID", TestServices.uniqueName("alerts-e2e-alerts"));
        env.put("AGENTWATCH_ALERTS_CONFIG", alertsConfig.toString());
        env.put("AGENTWATCH_ALERTS_API_PORT", "0");
        stack = Stack.start(StackConfig.from(Settings.load(null, env)), new PrintStream(new ByteArrayOutputStream()));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void aSwallowedToolErrorSentThroughTheOtelSdkPagesTheWebhookWithAValidSignature() throws Exception {
        assertThat(stack.alertNotifier()).as("alerts.config is set, so the stack runs the notifier").isNotNull();
        String traceId;
        try (AgentRunEmitter emitter = new AgentRunEmitter("http://127.0.0.1:" + stack.collector().httpPort() + "/v1/traces",
                API_KEY)) {
            traceId = emitter.emitClaimsRun("CLAIM-2001");
            emitter.flush();
        }

        Delivery delivery = awaitDelivery("/on-call", Duration.ofSeconds(120));

        WebhookSignatureVerifier verifier = new WebhookSignatureVerifier(SECRET, 300);
        assertThat(verifier.verify(delivery.signature(), delivery.body(), Instant.now().getEpochSecond())).isTrue();
        JsonNode body = JsonMapper.builder().build().readTree(delivery.body());
        assertThat(body.get("version").asText()).isEqualTo("4");
        assertThat(body.get("receiver").asText()).isEqualTo("on-call");
        assertThat(body.get("status").asText()).isEqualTo("firing");
        JsonNode alert = body.get("alerts").get(0);
        assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("swallowed_error");
        assertThat(alert.get("labels").get("tenant").asText()).isEqualTo(tenant);
        assertThat(alert.get("labels").get("agent").asText()).isEqualTo("claims-agent");
        assertThat(alert.get("labels").get("run_id").asText()).isEqualTo(traceId);
        assertThat(alert.get("generatorURL").asText()).isEqualTo("http://localhost:3000/d/agentwatch-agent?var-run_id=" + traceId);
        assertThat(alert.get("annotations").get("evidence").asText()).contains("step_name=check_coverage")
                .contains("claimed_outcome=approved");
        assertThat(alert.get("annotations").get("subject_id").asText()).isEqualTo("CLAIM-2001");
    }

    private static Delivery awaitDelivery(String path, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Delivery delivery : DELIVERED) {
                if (delivery.path().equals(path)) {
                    return delivery;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no notification at " + path + " within " + timeout + "; deliveries elsewhere: "
                + DELIVERED.stream().map(Delivery::path).toList());
    }
}
