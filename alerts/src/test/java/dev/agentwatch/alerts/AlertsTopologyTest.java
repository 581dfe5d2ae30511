package dev.agentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Severity;
import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertsTopologyTest {
    static final String CONFIG = """
            global:
              resolve_timeout: 1h
            route:
              receiver: hook
              group_by: [tenant, alertname]
              group_wait: 30s
              group_interval: 5m
              repeat_interval: 4h
              routes:
                - matchers: ['severity="critical"']
                  receiver: pager
                  continue: true
                - matchers: ['team="claims"']
                  receiver: hook
            receivers:
              - name: hook
                webhook: {url: "http://127.0.0.1:1/hook", secret: "0123456789abcdef-secret"}
              - name: pager
                pagerduty: {url: "http://127.0.0.1:1/v2/enqueue", routing_key: "key"}
            """;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    private final AlertsMetrics metrics = new AlertsMetrics();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> findings;
    private TestInputTopic<String, Silence> silences;
    private TestOutputTopic<String, Notification> notifications;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void createDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "alerts-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(AlertsTopology.build(AlertsConfig.parse(CONFIG), clock, Duration.ofSeconds(1), metrics),
                props, clock.instant());
        findings = driver.createInputTopic(Topics.FINDINGS.name(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        silences = driver.createInputTopic(AlertTopics.SILENCES.name(), AlertTopics.SILENCES.keySerde().serializer(),
                AlertTopics.SILENCES.valueSerde().serializer());
        notifications = driver.createOutputTopic(AlertTopics.NOTIFICATIONS.name(), AlertTopics.NOTIFICATIONS.keySerde().deserializer(),
                AlertTopics.NOTIFICATIONS.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), Topics.DEAD_LETTERS.keySerde().deserializer(),
                Topics.DEAD_LETTERS.valueSerde().deserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void findingsOfOneGroupBecomeOneNotificationPerReceiverAfterGroupWait() {
        publish(finding("fp-1", "run-1", Severity.CRITICAL));
        publish(finding("fp-2", "run-2", Severity.CRITICAL));
        publish(finding("fp-1", "run-1", Severity.CRITICAL));

        advance(Duration.ofSeconds(29));
        assertThat(notifications.isEmpty()).isTrue();
        advance(Duration.ofSeconds(1));

        List<Notification> sent = notifications.readValuesToList();
        assertThat(sent).extracting(Notification::receiver).containsExactlyInAnyOrder("hook", "pager");
        assertThat(sent).allSatisfy(n -> {
            assertThat(n.alerts()).extracting(NotifiedAlert::fingerprint).containsExactly("fp-1", "fp-2");
            assertThat(n.reason()).isEqualTo(NotificationReason.FIRST_NOTIFICATION);
            assertThat(n.groupLabels()).containsEntry("tenant", "acme").containsEntry("alertname", "tool_loop");
        });
        assertThat(sent).extracting(Notification::groupKey).containsExactlyInAnyOrder(
                "{}/{team=\"claims\"}:{alertname=\"tool_loop\", tenant=\"acme\"}",
                "{}/{severity=\"critical\"}:{alertname=\"tool_loop\", tenant=\"acme\"}");

        advance(Duration.ofMinutes(5));
        assertThat(notifications.isEmpty()).as("nothing changed").isTrue();
    }

    @Test
    void anUnreadableFindingIsDeadLetteredAndTheNextOneStillFlows() {
        findings.pipeInput("bad-key", "{not json".getBytes(StandardCharsets.UTF_8));
        publish(finding("fp-1", "run-1", Severity.WARNING));
        advance(Duration.ofSeconds(30));

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.stage()).isEqualTo("alerts");
        assertThat(letter.reason()).isEqualTo("undecodable_finding");
        assertThat(letter.key()).isEqualTo("bad-key");
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(metrics.deadLettered("undecodable_finding")).isEqualTo(1);
        assertThat(notifications.readValuesToList()).extracting(Notification::receiver).containsExactly("hook");
    }

    /** A JSON null, or evidence no alert can be made of, is dead-lettered; alerting goes on for everyone. */
    @Test
    void aFindingThatCannotBecomeAnAlertIsDeadLetteredAndTheNextOneStillFlows() {
        findings.pipeInput("null-key", "null".getBytes(StandardCharsets.UTF_8));
        Finding farEnd = finding("fp-9", "run-9", Severity.WARNING);
        farEnd = new Finding(farEnd.fingerprint(), farEnd.detector(), farEnd.severity(), farEnd.tenant(), farEnd.agentName(),
                farEnd.agentVersion(), farEnd.runId(), farEnd.stepId(), farEnd.subjectId(), farEnd.summary(),
                farEnd.eventEpochNanos(), farEnd.detectedEpochMillis(), Map.of("ends_at", "+300000000-01-01T00:00:00Z"),
                farEnd.labels());
        publish(farEnd);
        publish(finding("fp-1", "run-1", Severity.WARNING));
        advance(Duration.ofSeconds(30));

        assertThat(deadLetters.readValuesToList()).extracting(DeadLetter::reason)
                .containsExactly("empty_finding", "bad_finding");
        assertThat(notifications.readValuesToList()).extracting(Notification::receiver).containsExactly("hook");
    }

    @Test
    void aSilenceMutesWhatItMatchesAndNothingElse() {
        long now = clock.millis();
        silences.pipeInput("s-1", new Silence("s-1", List.of(LabelMatcher.parse("run_id=\"run-2\"")), now - 1000,
                now + Duration.ofHours(1).toMillis(), "ops", "known flaky run", now));
        publish(finding("fp-1", "run-1", Severity.WARNING));
        publish(finding("fp-2", "run-2", Severity.WARNING));
        advance(Duration.ofSeconds(30));

        List<Notification> sent = notifications.readValuesToList();
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().alerts()).extracting(NotifiedAlert::fingerprint).containsExactly("fp-1");
    }

    @Test
    void anExpiredSilenceNoLongerMutes() {
        long now = clock.millis();
        Silence silence = new Silence("s-1", List.of(LabelMatcher.parse("alertname=\"tool_loop\"")), now - 1000,
                now + Duration.ofHours(1).toMillis(), "ops", "maintenance", now);
        silences.pipeInput("s-1", silence);
        publish(finding("fp-1", "run-1", Severity.WARNING));
        advance(Duration.ofSeconds(30));
        assertThat(notifications.isEmpty()).isTrue();

        silences.pipeInput("s-1", silence.expiredAt(clock.millis()));
        publish(finding("fp-1", "run-1", Severity.WARNING));
        advance(Duration.ofMinutes(5));
        assertThat(notifications.readValuesToList()).hasSize(1);
    }

    @Test
    void findingsOlderThanMaxFindingAgeAreSkippedAndCounted() {
        Finding old = TestFindings.runFinding("fp-old", "tool_loop", Severity.CRITICAL, "acme", "run-9",
                clock.millis() - Duration.ofHours(2).toMillis());
        publish(old);
        advance(Duration.ofMinutes(1));

        assertThat(notifications.isEmpty()).isTrue();
        assertThat(metrics.staleFindings()).isEqualTo(1);
    }

    private Finding finding(String fingerprint, String runId, Severity severity) {
        return TestFindings.runFinding(fingerprint, "tool_loop", severity, "acme", runId, clock.millis());
    }

    private void publish(Finding finding) {
        findings.pipeInput(finding.fingerprint(), Topics.FINDINGS.valueSerde().serializer().serialize(Topics.FINDINGS.name(), finding));
    }

    private void advance(Duration duration) {
        clock.advance(duration);
        driver.advanceWallClockTime(duration);
    }
}
