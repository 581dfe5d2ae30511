package dev.agentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Severity;
import dev.agentwatch.testkit.TestServices;
import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.Topics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier on the real broker: findings published to {@code agentwatch_findings} reach real
 * HTTP receivers on 127.0.0.1. Grouping time is driven by an injected clock. Each test has its
 * own tenant, receivers and application id, since the topics are shared.
 */
@Timeout(240)
class AlertNotifierIT {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String SECRET = "it-secret-0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Deleted by JUnit after each test, with everything the services wrote. */
    @TempDir
    Path tempDir;

    private final MutableClock clock = new MutableClock(Instant.now());
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String tenant = "tenant-" + suffix;
    private final String hookName = "hook-" + suffix;
    private final String applicationId = TestServices.uniqueName("alerts-it");
    private final RecordingReceiver hook = RecordingReceiver.start();
    private final RecordingReceiver elsewhere = RecordingReceiver.start();
    private final List<AlertNotifier> started = new ArrayList<>();
    private KafkaProducer<String, Finding> producer;

    @BeforeEach
    void createProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrap());
        producer = new KafkaProducer<>(props, Topics.FINDINGS.keySerde().serializer(), Topics.FINDINGS.valueSerde().serializer());
    }

    @AfterEach
    void stopEverything() {
        started.forEach(AlertNotifier::close);
        producer.close();
        hook.close();
        elsewhere.close();
    }

    @Test
    void findingsReachTheWebhookAsOneSignedAlertmanagerStyleNotificationPerGroup() throws Exception {
        AlertNotifier notifier = start(config(hook.url("/hook")), Files.createTempDirectory(tempDir, "alerts-it"));
        publish(finding("fp-1", "tool_loop", "run-1"), finding("fp-2", "tool_loop", "run-2"), finding("fp-1", "tool_loop", "run-1"));
        awaitAtLeast(() -> notifier.metrics().alertsGrouped(hookName), 3);

        clock.advance(Duration.ofSeconds(30));
        RecordingReceiver.Received received = hook.await(1, WAIT).getFirst();

        WebhookSignatureVerifier verifier = new WebhookSignatureVerifier(SECRET, 300);
        assertThat(verifier.verify(received.header(WebhookSignature.HEADER), received.body(), clock.instant().getEpochSecond()))
                .isTrue();
        JsonNode body = JSON.readTree(received.body());
        assertThat(body.get("version").asText()).isEqualTo("4");
        assertThat(body.get("receiver").asText()).isEqualTo(hookName);
        assertThat(body.get("status").asText()).isEqualTo("firing");
        assertThat(body.get("notification_reason").asText()).isEqualTo("first notification");
        assertThat(body.get("groupKey").asText())
                .isEqualTo("{}/{tenant=\"" + tenant + "\"}:{alertname=\"tool_loop\", tenant=\"" + tenant + "\"}");
        assertThat(body.get("alerts")).hasSize(2);
        JsonNode first = body.get("alerts").get(0);
        assertThat(first.get("fingerprint").asText()).isEqualTo("fp-1-" + suffix);
        assertThat(first.get("labels").get("run_id").asText()).isEqualTo("run-1");
        assertThat(first.get("generatorURL").asText()).isEqualTo("http://localhost:3000/d/agentwatch-agent?var-run_id=run-1");
        // Alertmanager's webhook version 4, field by field, as the receiver got it.
        assertThat(fieldNames(body)).containsExactly("version", "groupKey", "truncatedAlerts", "status", "receiver",
                "groupLabels", "commonLabels", "commonAnnotations", "externalURL", "notification_reason", "alerts");
        assertThat(body.get("truncatedAlerts").asInt()).isZero();
        assertThat(fieldNames(body.get("groupLabels"))).containsExactlyInAnyOrder("alertname", "tenant");
        assertThat(body.get("commonLabels").get("alertname").asText()).isEqualTo("tool_loop");
        assertThat(body.get("commonAnnotations").isObject()).isTrue();
        assertThat(body.get("externalURL").isTextual()).isTrue();
        assertThat(body.get("alerts")).allSatisfy(alert -> {
            assertThat(fieldNames(alert)).containsExactly("status", "labels", "annotations", "startsAt", "endsAt",
                    "generatorURL", "fingerprint");
            assertThat(alert.get("status").asText()).isEqualTo("firing");
            assertThat(Instant.parse(alert.get("startsAt").asText())).isBeforeOrEqualTo(clock.instant());
            assertThat(alert.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
            assertThat(alert.get("annotations").get("summary").asText()).isNotBlank();
        });
        assertThat(received.header(OutgoingRequest.NOTIFICATION_ID_HEADER)).isNotBlank();

        // A second group after the first group's interval: once it arrives, the first has had
        // its chance to repeat and must not have.
        clock.advance(Duration.ofMinutes(5));
        publish(finding("fp-3", "cost_spike", "run-3"));
        awaitAtLeast(() -> notifier.metrics().alertsGrouped(hookName), 4);
        clock.advance(Duration.ofSeconds(30));
        hook.await(2, WAIT);
        assertThat(alertnames(hook.received())).containsExactly("tool_loop", "cost_spike");
    }

    @Test
    void aConditionStillFiringIsNotifiedAgainOnceTheRepeatIntervalHasPassedAndNotBefore() throws Exception {
        AlertNotifier notifier = start(config(hook.url("/hook")), Files.createTempDirectory(tempDir, "alerts-it"));
        publish(finding("fp-1", "cost_spike", "run-1"));
        awaitAtLeast(() -> notifier.metrics().alertsGrouped(hookName), 1);
        clock.advance(Duration.ofSeconds(30));
        hook.await(1, WAIT);

        // The condition keeps firing (the finding comes again within resolve_timeout, 1h), for 3h40m:
        // every 5-minute flush in between finds nothing new, and the 4h repeat is not due yet.
        for (int hour = 1; hour <= 4; hour++) {
            clock.advance(Duration.ofMinutes(55));
            publish(finding("fp-1", "cost_spike", "run-1"));
            int grouped = 1 + hour;
            awaitAtLeast(() -> notifier.metrics().alertsGrouped(hookName), grouped);
        }
        // Another group's first notification: once it arrives, the flushes before it have run.
        publish(finding("fp-9", "loop", "run-9"));
        awaitAtLeast(() -> notifier.metrics().alertsGrouped(hookName), 6);
        clock.advance(Duration.ofSeconds(30));
        hook.await(2, WAIT);
        assertThat(alertnames(hook.received())).as("no repeat before 4h").containsExactly("cost_spike", "loop");

        clock.advance(Duration.ofMinutes(25));
        List<RecordingReceiver.Received> all = hook.await(3, WAIT);
        JsonNode repeat = JSON.readTree(all.get(2).body());
        assertThat(repeat.get("notification_reason").asText()).isEqualTo("repeat interval elapsed");
        assertThat(repeat.get("commonLabels").get("alertname").asText()).isEqualTo("cost_spike");
        assertThat(repeat.get("alerts")).singleElement()
                .satisfies(alert -> assertThat(alert.get("status").asText()).isEqualTo("firing"));
        assertThat(all.get(2).header(OutgoingRequest.NOTIFICATION_ID_HEADER))
                .isNotEqualTo(all.get(0).header(OutgoingRequest.NOTIFICATION_ID_HEADER));
    }

    @Test
    void aReceiverThatFailsTwiceThenSucceedsGetsExactlyOneDeliveredNotification() throws Exception {
        hook.thenAnswer(RecordingReceiver.Answer.of(503), RecordingReceiver.Answer.of(500));
        AlertNotifier notifier = start(config(hook.url("/hook")), Files.createTempDirectory(tempDir, "alerts-it"));
        publish(finding("fp-1", "tool_loop", "run-1"));
        awaitAtLeast(() -> notifier.metrics().alertsGrouped(hookName), 1);

        clock.advance(Duration.ofSeconds(30));
        List<RecordingReceiver.Received> attempts = hook.await(3, WAIT);
        awaitAtLeast(() -> notifier.metrics().delivered(hookName), 1);

        assertThat(attempts).extracting(RecordingReceiver.Received::answeredStatus).containsExactly(503, 500, 200);
        assertThat(attempts).extracting(r -> r.header(OutgoingRequest.NOTIFICATION_ID_HEADER)).containsOnly(
                attempts.getFirst().header(OutgoingRequest.NOTIFICATION_ID_HEADER));
        assertThat(notifier.metrics().retries(hookName)).isEqualTo(2);
        assertThat(notifier.metrics().deadLetteredTotal()).isZero();

        assertToolLoopDeliveredOnce(notifier, 2);
    }

    @Test
    void aReceiverDownPastTheRetryBudgetYieldsADeadLetterWithTheReason() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AlertNotifier notifier = start(config("http://127.0.0.1:" + closedPort + "/hook"), Files.createTempDirectory(tempDir, "alerts-it"));
        publish(finding("fp-1", "tool_loop", "run-1"));
        awaitAtLeast(() -> notifier.metrics().alertsGrouped(hookName), 1);

        clock.advance(Duration.ofSeconds(30));
        awaitAtLeast(() -> notifier.metrics().deadLettered("retries_exhausted"), 1);

        DeadLetter letter = awaitDeadLetter(hookName);
        assertThat(letter.stage()).isEqualTo("alerts");
        assertThat(letter.reason()).isEqualTo("retries_exhausted");
        assertThat(letter.detail()).contains("3 attempts").contains("ConnectException");
        assertThat(letter.tenant()).isEqualTo(tenant);
        assertThat(letter.sourceTopic()).isEqualTo(AlertTopics.NOTIFICATIONS.name());
        Notification undelivered = AlertTopics.NOTIFICATIONS.valueSerde().deserializer().deserialize("", letter.value());
        assertThat(undelivered.alerts()).extracting(NotifiedAlert::fingerprint).containsExactly("fp-1-" + suffix);
        assertThat(notifier.metrics().delivered(hookName)).isZero();
        String metrics = get(HttpClient.newHttpClient(), "http://127.0.0.1:" + notifier.apiPort() + "/metrics").body();
        assertThat(metrics).contains("agentwatch_alerts_dead_letters_total{reason=\"retries_exhausted\"} 1")
                .contains("agentwatch_alerts_delivery_retries_total{receiver=\"" + hookName + "\"} 2");
    }

    @Test
    void aRestartMidGroupNeitherLosesNorDuplicatesTheNotification() throws Exception {
        AlertsConfig config = config(hook.url("/hook"));
        AlertNotifier beforeRestart = start(config, Files.createTempDirectory(tempDir, "alerts-it"));
        publish(finding("fp-1", "tool_loop", "run-1"));
        awaitAtLeast(() -> beforeRestart.metrics().alertsGrouped(hookName), 1);
        clock.advance(Duration.ofSeconds(10));
        stop(beforeRestart);

        // A fresh state directory: the group must come back from its changelog.
        Path stateDir = Files.createTempDirectory(tempDir, "alerts-it");
        AlertNotifier afterRestart = start(config, stateDir);
        publish(finding("fp-2", "tool_loop", "run-2"));
        awaitAtLeast(() -> afterRestart.metrics().alertsGrouped(hookName), 1);
        clock.advance(Duration.ofSeconds(20));
        RecordingReceiver.Received received = hook.await(1, WAIT).getFirst();
        assertThat(JSON.readTree(received.body()).get("alerts")).extracting(a -> a.get("fingerprint").asText())
                .containsExactly("fp-1-" + suffix, "fp-2-" + suffix);
        awaitAtLeast(() -> afterRestart.metrics().delivered(hookName), 1);
        stop(afterRestart);

        // Restarted once more after delivery: nothing is decided or delivered again.
        AlertNotifier again = start(config, stateDir);
        publish(finding("fp-1", "tool_loop", "run-1"));
        clock.advance(Duration.ofMinutes(5));
        publish(finding("fp-9", "cost_spike", "run-9"));
        awaitAtLeast(() -> again.metrics().alertsGrouped(hookName), 2);
        clock.advance(Duration.ofSeconds(30));
        hook.await(r -> r.bodyText().contains("cost_spike"), 1, WAIT);
        assertThat(alertnames(hook.received())).containsExactly("tool_loop", "cost_spike");
    }

    /**
     * Stopped while waiting to retry a receiver that asked for a minute's pause: the notification
     * is not settled, so its offset stays uncommitted, and the next instance delivers it once,
     * under the same notification id the receiver saw refused.
     */
    @Test
    void aRestartMidRetryDeliversTheNotificationOnceAfterTheRestart() throws Exception {
        hook.thenAnswer(new RecordingReceiver.Answer(503, "busy", Map.of("Retry-After", "60")));
        AlertsConfig config = config(hook.url("/hook"));
        AlertNotifier beforeRestart = start(config, Files.createTempDirectory(tempDir, "alerts-it"));
        publish(finding("fp-1", "tool_loop", "run-1"));
        awaitAtLeast(() -> beforeRestart.metrics().alertsGrouped(hookName), 1);
        clock.advance(Duration.ofSeconds(30));
        awaitAtLeast(() -> beforeRestart.metrics().retries(hookName), 1);
        stop(beforeRestart);

        assertThat(hook.received()).extracting(RecordingReceiver.Received::answeredStatus).containsExactly(503);
        assertThat(beforeRestart.metrics().delivered(hookName)).isZero();
        assertThat(beforeRestart.metrics().deadLetteredTotal()).isZero();
        String refusedId = hook.received().getFirst().header(OutgoingRequest.NOTIFICATION_ID_HEADER);

        AlertNotifier afterRestart = start(config, Files.createTempDirectory(tempDir, "alerts-it"));
        List<RecordingReceiver.Received> attempts = hook.await(2, WAIT);
        awaitAtLeast(() -> afterRestart.metrics().delivered(hookName), 1);

        assertThat(attempts.get(1).answeredStatus()).isEqualTo(200);
        assertThat(attempts.get(1).header(OutgoingRequest.NOTIFICATION_ID_HEADER)).isEqualTo(refusedId);
        assertThat(JSON.readTree(attempts.get(1).body()).get("alerts")).extracting(a -> a.get("fingerprint").asText())
                .containsExactly("fp-1-" + suffix);
        assertToolLoopDeliveredOnce(afterRestart, 1);
    }

    @Test
    void aSilenceFromTheApiSuppressesWhatItMatchesAndNothingElse() throws Exception {
        AlertNotifier notifier = start(config(hook.url("/hook")), Files.createTempDirectory(tempDir, "alerts-it"));
        String api = "http://127.0.0.1:" + notifier.apiPort() + "/api/v2/";
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> refused = post(http, api + "silences", "{\"matchers\":[\"run_id=~\\\".*\\\"\"],"
                + "\"duration\":\"1h\",\"createdBy\":\"it\",\"comment\":\"everything\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("does not match an empty label set");

        HttpResponse<String> created = post(http, api + "silences", "{\"matchers\":[\"tenant=\\\"" + tenant + "\\\"\","
                + "{\"name\":\"run_id\",\"value\":\"run-2\",\"isRegex\":false,\"isEqual\":true}],"
                + "\"duration\":\"1h\",\"createdBy\":\"it\",\"comment\":\"run-2 is a known test run\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("silenceID").asText();
        JsonNode listed = JSON.readTree(get(http, api + "silence/" + id).body());
        assertThat(listed.get("status").get("state").asText()).isEqualTo("active");
        assertThat(listed.get("matchers")).hasSize(2);
        assertThat(get(http, api + "silences").body()).contains(id);

        publish(finding("fp-1", "tool_loop", "run-1"), finding("fp-2", "tool_loop", "run-2"));
        awaitAtLeast(() -> notifier.metrics().alertsGrouped(hookName), 2);
        clock.advance(Duration.ofSeconds(30));
        JsonNode first = JSON.readTree(hook.await(1, WAIT).getFirst().body());
        assertThat(first.get("alerts")).extracting(a -> a.get("labels").get("run_id").asText()).containsExactly("run-1");

        HttpResponse<String> expired = http.send(HttpRequest.newBuilder(URI.create(api + "silence/" + id)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(expired.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(expired.body()).get("status").get("state").asText()).isEqualTo("expired");
        assertThat(get(http, api + "silence/no-such-id").statusCode()).isEqualTo(404);

        clock.advance(Duration.ofMinutes(5));
        JsonNode second = JSON.readTree(hook.await(2, WAIT).get(1).body());
        assertThat(second.get("notification_reason").asText()).isEqualTo("new alerts added");
        assertThat(second.get("alerts")).extracting(a -> a.get("labels").get("run_id").asText()).containsExactly("run-1", "run-2");

        // Silences are persisted: a restarted notifier with no local state still knows this one.
        stop(notifier);
        AlertNotifier restarted = start(config(hook.url("/hook")), Files.createTempDirectory(tempDir, "alerts-it"));
        JsonNode afterRestart = JSON.readTree(get(http, "http://127.0.0.1:" + restarted.apiPort() + "/api/v2/silence/" + id).body());
        assertThat(afterRestart.get("status").get("state").asText()).isEqualTo("expired");
        assertThat(afterRestart.get("comment").asText()).isEqualTo("run-2 is a known test run");
    }

    @Test
    void aReceiverOverItsRateLimitDeadLettersTheExcessAndCountsIt() throws Exception {
        AlertNotifier notifier = start(config(hook.url("/hook"), 1),
                Files.createTempDirectory(tempDir, "alerts-it"));
        publish(finding("fp-1", "tool_loop", "run-1"), finding("fp-2", "cost_spike", "run-2"));
        awaitAtLeast(() -> notifier.metrics().alertsGrouped(hookName), 2);

        clock.advance(Duration.ofSeconds(30));
        awaitAtLeast(() -> notifier.metrics().deadLettered("rate_limited"), 1);
        awaitAtLeast(() -> notifier.metrics().delivered(hookName), 1);

        assertThat(hook.received()).hasSize(1);
        DeadLetter letter = awaitDeadLetter(hookName);
        assertThat(letter.reason()).isEqualTo("rate_limited");
        assertThat(letter.detail()).contains("1 per minute");
    }

    @Test
    void pagerDutyAndSlackReceiversGetTheirOwnPayloadsAndPagerDutyIsResolvedWhenTheConditionClears() throws Exception {
        String pager = "pager-" + suffix;
        String slack = "slack-" + suffix;
        AlertsConfig config = AlertsConfig.parse("""
                global: {resolve_timeout: 1h}
                route:
                  receiver: elsewhere-%1$s
                  group_by: [tenant, alertname]
                  routes:
                    - matchers: ['tenant="%2$s"', 'severity="critical"']
                      receiver: %3$s
                      continue: true
                    - matchers: ['tenant="%2$s"']
                      receiver: %4$s
                receivers:
                  - name: %3$s
                    pagerduty: {url: "%5$s", routing_key: "0123456789abcdef0123456789abcdef"}
                  - name: %4$s
                    slack: {url: "%6$s"}
                  - name: elsewhere-%1$s
                    webhook: {url: "%7$s", secret: "%8$s"}
                """.formatted(suffix, tenant, pager, slack, hook.url("/v2/enqueue"), hook.url("/services/T1/B1/x"),
                elsewhere.url("/elsewhere"), SECRET));
        AlertNotifier notifier = start(config, Files.createTempDirectory(tempDir, "alerts-it"));
        Finding rate = TestFindings.agentFinding("rate-" + suffix, "error_rate", Severity.CRITICAL, tenant, clock.millis(),
                Map.of("error_rate", "0.42"));
        publish(rate);
        awaitAtLeast(() -> notifier.metrics().alertsGrouped(pager) + notifier.metrics().alertsGrouped(slack), 2);
        clock.advance(Duration.ofSeconds(30));

        JsonNode trigger = JSON.readTree(hook.await(r -> r.path().equals("/v2/enqueue"), 1, WAIT).getFirst().body());
        assertThat(trigger.get("routing_key").asText()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
        assertThat(trigger.get("dedup_key").asText()).hasSize(64);
        assertThat(trigger.get("payload").get("severity").asText()).isEqualTo("critical");
        assertThat(trigger.get("payload").get("source").asText()).isEqualTo("agentwatch");
        assertThat(trigger.get("payload").get("summary").asText()).startsWith("[FIRING:1] error_rate agent=claims-agent");
        assertThat(trigger.get("payload").get("group").asText()).isEqualTo(tenant);
        assertThat(trigger.get("payload").get("class").asText()).isEqualTo("error_rate");
        assertThat(trigger.get("payload").get("component").asText()).isEqualTo("claims-agent");
        assertThat(Instant.parse(trigger.get("payload").get("timestamp").asText())).isNotNull();
        assertThat(trigger.get("payload").get("custom_details").get("firing").asInt()).isEqualTo(1);
        assertThat(trigger.get("payload").get("custom_details").get("alerts").get(0).get("fingerprint").asText())
                .isEqualTo(rate.fingerprint());
        assertThat(trigger.get("client").asText()).isEqualTo("agentwatch");
        JsonNode slackMessage = JSON.readTree(hook.await(r -> r.path().startsWith("/services/"), 1, WAIT).getFirst().body());
        assertThat(slackMessage.get("text").asText()).isEqualTo("[FIRING:1] error_rate agent claims-agent (tenant " + tenant + ")");
        assertThat(slackMessage.get("blocks").get(1).get("text").get("text").asText()).contains("`error_rate=0.42`");
        assertThat(hook.received()).allSatisfy(r -> assertThat(r.header(WebhookSignature.HEADER)).isNull());

        publish(TestFindings.resolved(rate));
        awaitAtLeast(() -> notifier.metrics().alertsGrouped(pager) + notifier.metrics().alertsGrouped(slack), 4);
        clock.advance(Duration.ofMinutes(5));
        JsonNode resolve = JSON.readTree(hook.await(r -> r.path().equals("/v2/enqueue"), 2, WAIT).get(1).body());
        assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.get("dedup_key").asText()).isEqualTo(trigger.get("dedup_key").asText());
        JsonNode slackResolved = JSON.readTree(hook.await(r -> r.path().startsWith("/services/"), 2, WAIT).get(1).body());
        assertThat(slackResolved.get("text").asText()).startsWith("[RESOLVED] error_rate");
    }

    private AlertsConfig config(String hookUrl) {
        return config(hookUrl, 0);
    }

    private AlertsConfig config(String hookUrl, int maxPerMinute) {
        return AlertsConfig.parse("""
                global:
                  resolve_timeout: 1h
                  run_url_template: "http://localhost:3000/d/agentwatch-agent?var-run_id={run_id}"
                route:
                  receiver: elsewhere-%1$s
                  group_by: [tenant, alertname]
                  group_wait: 30s
                  group_interval: 5m
                  repeat_interval: 4h
                  routes:
                    - matchers: ['tenant="%2$s"']
                      receiver: %3$s
                receivers:
                  - name: %3$s
                    webhook: {url: "%4$s", secret: "%5$s"}
                    max_per_minute: %7$d
                  - name: elsewhere-%1$s
                    webhook: {url: "%6$s", secret: "%5$s"}
                delivery:
                  max_attempts: 3
                  initial_backoff: 20ms
                  max_backoff: 100ms
                """.formatted(suffix, tenant, hookName, hookUrl, SECRET, elsewhere.url("/elsewhere"), maxPerMinute));
    }

    private AlertNotifier start(AlertsConfig config, Path stateDir) {
        AlertNotifierConfig notifierConfig = new AlertNotifierConfig(TestServices.kafkaBootstrap(), applicationId, stateDir,
                "exactly_once_v2", "127.0.0.1", 0, Duration.ofMillis(100), 3, (short) 1, "it-" + suffix);
        AlertNotifier notifier = AlertNotifier.start(notifierConfig, config, clock);
        started.add(notifier);
        return notifier;
    }

    private void stop(AlertNotifier notifier) {
        started.remove(notifier);
        notifier.close();
    }

    private Finding finding(String fingerprint, String detector, String runId) {
        return TestFindings.runFinding(fingerprint + "-" + suffix, detector, Severity.CRITICAL, tenant, runId, clock.millis());
    }

    /**
     * The {@code tool_loop} notification was delivered exactly once: checked once a later group
     * ({@code cost_spike}, the {@code grouped}th alert this notifier grouped) has been delivered
     * too, so a second delivery would have had its time to arrive.
     */
    private void assertToolLoopDeliveredOnce(AlertNotifier notifier, long grouped) throws Exception {
        clock.advance(Duration.ofMinutes(5));
        publish(finding("fp-2", "cost_spike", "run-2"));
        awaitAtLeast(() -> notifier.metrics().alertsGrouped(hookName), grouped);
        clock.advance(Duration.ofSeconds(30));
        hook.await(r -> r.bodyText().contains("cost_spike"), 1, WAIT);
        assertThat(hook.received().stream().filter(r -> r.answeredStatus() == 200 && r.bodyText().contains("tool_loop")))
                .hasSize(1);
    }

    private void publish(Finding... findings) throws Exception {
        for (Finding finding : findings) {
            producer.send(new ProducerRecord<>(Topics.FINDINGS.name(), finding.fingerprint(), finding)).get();
        }
    }

    private static List<String> alertnames(List<RecordingReceiver.Received> received) throws IOException {
        List<String> names = new ArrayList<>();
        for (RecordingReceiver.Received r : received) {
            names.add(JSON.readTree(r.body()).get("commonLabels").get("alertname").asText());
        }
        return names;
    }

    private static void awaitAtLeast(LongSupplier counter, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (counter.getAsLong() < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("counter stayed at " + counter.getAsLong() + ", expected " + expected + " within " + WAIT);
            }
            Thread.sleep(20);
        }
    }

    private DeadLetter awaitDeadLetter(String receiverName) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, TestServices.uniqueName("dead-letter-reader"));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, DeadLetter> consumer = new KafkaConsumer<>(props, Topics.DEAD_LETTERS.keySerde().deserializer(),
                Topics.DEAD_LETTERS.valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.DEAD_LETTERS.name()));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, DeadLetter> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value().detail().contains("receiver " + receiverName + ":")) {
                        return record.value();
                    }
                }
            }
        }
        throw new AssertionError("no dead letter for receiver " + receiverName + " within " + WAIT);
    }

    private static HttpResponse<String> post(HttpClient http, String url, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
