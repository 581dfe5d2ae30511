package dev.agentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The group state machine, driven by an injected clock. */
class AlertGroupTest {
    private static final GroupTiming TIMING = new GroupTiming(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(4));
    /** Alerts stay firing unless a test resolves them or sets a short resolve timeout. */
    private static final GroupPolicy POLICY = new GroupPolicy(TIMING, true, Duration.ofDays(1));
    private static final Predicate<Map<String, String>> NOTHING_MUTED = labels -> false;
    private static final Route ROUTE = new Route("{}", List.of(), "hook", List.of("tenant", "alertname"), TIMING, false, List.of());

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));
    private final AlertFactory factory = new AlertFactory(LinkTemplates.none());
    private AlertGroup group;
    private GroupPolicy policy = POLICY;

    @Test
    void waitsGroupWaitThenSendsOneNotificationForEverythingThatArrivedMeanwhile() {
        receive(runFinding("f1", "run-1"));
        clock.advance(Duration.ofSeconds(10));
        receive(runFinding("f2", "run-2"));

        clock.advance(Duration.ofSeconds(19));
        assertThat(flush()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        Notification first = flush().orElseThrow();

        assertThat(first.reason()).isEqualTo(NotificationReason.FIRST_NOTIFICATION);
        assertThat(first.alerts()).extracting(NotifiedAlert::fingerprint).containsExactly("f1", "f2");
        assertThat(first.status()).isEqualTo("firing");
        assertThat(first.groupLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("tenant", "acme", "alertname", "tool_loop"));
    }

    /** One group is one changelog record, and Kafka takes 1 MiB: past its cap a group takes no new alerts. */
    @Test
    void aFullGroupTakesNoNewAlertButStillUpdatesTheOnesItHolds() {
        for (int i = 0; i < AlertGroup.MAX_ALERTS; i++) {
            receive(runFinding("f" + i, "run-" + i));
        }
        RoutedAlert oneMore = routed(runFinding("f-extra", "run-extra"));
        RoutedAlert again = routed(runFinding("f0", "run-0"));

        assertThat(group.isFullFor(oneMore)).isTrue();
        assertThat(group.with(oneMore, clock.millis(), policy).alerts()).hasSize(AlertGroup.MAX_ALERTS)
                .doesNotContainKey("f-extra");
        assertThat(group.isFullFor(again)).as("an alert it holds").isFalse();
    }

    @Test
    void deduplicatesRedeliveredFindingsAndBatchesNewOnesByGroupInterval() {
        receive(runFinding("f1", "run-1"));
        clock.advance(Duration.ofSeconds(30));
        assertThat(flush()).isPresent();

        receive(runFinding("f1", "run-1"));
        clock.advance(Duration.ofMinutes(1));
        receive(runFinding("f2", "run-2"));
        clock.advance(Duration.ofMinutes(3));
        assertThat(flush()).as("group_interval has not passed").isEmpty();

        clock.advance(Duration.ofMinutes(1));
        Notification second = flush().orElseThrow();
        assertThat(second.reason()).isEqualTo(NotificationReason.NEW_ALERTS_ADDED);
        assertThat(second.alerts()).extracting(NotifiedAlert::fingerprint).containsExactly("f1", "f2");

        receive(runFinding("f1", "run-1"));
        clock.advance(Duration.ofMinutes(5));
        assertThat(flush()).as("nothing new: the re-delivered finding is deduplicated").isEmpty();
    }

    @Test
    void repeatsAnUnchangedFiringGroupAfterRepeatInterval() {
        GroupPolicy longLived = new GroupPolicy(TIMING, true, Duration.ofDays(1));
        group = AlertGroup.open(routed(runFinding("f1", "run-1")), clock.millis(), longLived);
        clock.advance(Duration.ofSeconds(30));
        assertThat(flush(longLived)).isPresent();

        for (int i = 0; i < 47; i++) {
            clock.advance(Duration.ofMinutes(5));
            assertThat(flush(longLived)).as("tick %d", i).isEmpty();
        }
        clock.advance(Duration.ofMinutes(5));
        Notification repeat = flush(longLived).orElseThrow();
        assertThat(repeat.reason()).isEqualTo(NotificationReason.REPEAT_INTERVAL_ELAPSED);
        assertThat(repeat.alerts()).extracting(NotifiedAlert::fingerprint).containsExactly("f1");
    }

    @Test
    void sendsResolvedWhenAFindingSaysTheConditionCleared() {
        Finding rate = agentFinding("rate-1", Map.of("error_rate", "0.31"));
        receive(rate);
        clock.advance(Duration.ofSeconds(30));
        assertThat(flush()).isPresent();

        receive(TestFindings.resolved(rate));
        clock.advance(Duration.ofMinutes(5));
        Flush result = flushWhole();

        Notification resolved = result.notification().orElseThrow();
        assertThat(resolved.reason()).isEqualTo(NotificationReason.ALL_ALERTS_RESOLVED);
        assertThat(resolved.status()).isEqualTo("resolved");
        assertThat(resolved.alerts().getFirst().endsAtEpochMillis()).isEqualTo(clock.millis() - Duration.ofMinutes(5).toMillis());
        assertThat(result.next()).as("an empty group is done").isEmpty();
    }

    @Test
    void resolvesAnAlertThatStopsBeingReportedAfterResolveTimeout() {
        policy = new GroupPolicy(TIMING, true, Duration.ofMinutes(5));
        receive(agentFinding("rate-1", Map.of()));
        clock.advance(Duration.ofSeconds(30));
        assertThat(flush()).isPresent();
        clock.advance(Duration.ofMinutes(2));
        receive(agentFinding("rate-1", Map.of()));

        clock.advance(Duration.ofMinutes(3));
        assertThat(flush()).as("re-reported 3 minutes ago: still firing").isEmpty();
        clock.advance(Duration.ofMinutes(5));
        assertThat(flush().orElseThrow().reason()).isEqualTo(NotificationReason.ALL_ALERTS_RESOLVED);
    }

    @Test
    void honoursAnExplicitEndFromTheFinding() {
        long end = clock.millis() + Duration.ofMinutes(2).toMillis();
        receive(agentFinding("window-1", Map.of("ends_at", Instant.ofEpochMilli(end).toString())));
        clock.advance(Duration.ofSeconds(30));
        Notification firing = flush().orElseThrow();
        assertThat(firing.alerts().getFirst().endsAtEpochMillis()).isEqualTo(end);

        clock.advance(Duration.ofMinutes(5));
        Notification resolved = flush().orElseThrow();
        assertThat(resolved.status()).isEqualTo("resolved");
        assertThat(resolved.alerts().getFirst().endsAtEpochMillis()).isEqualTo(end);
    }

    @Test
    void reportsSomeResolvedWhileOthersStillFire() {
        Finding a = agentFinding("a", Map.of());
        receive(a);
        receive(runFinding("b", "run-2"));
        clock.advance(Duration.ofSeconds(30));
        assertThat(flush()).isPresent();

        receive(TestFindings.resolved(a));
        receive(runFinding("b", "run-2"));
        clock.advance(Duration.ofMinutes(5));
        Notification some = flush().orElseThrow();
        assertThat(some.reason()).isEqualTo(NotificationReason.SOME_ALERTS_RESOLVED);
        assertThat(some.firing()).extracting(NotifiedAlert::fingerprint).containsExactly("b");
        assertThat(some.resolvedAlerts()).extracting(NotifiedAlert::fingerprint).containsExactly("a");
    }

    @Test
    void aReceiverWithoutSendResolvedHearsNothingWhenAlertsClear() {
        GroupPolicy quiet = new GroupPolicy(TIMING, false, Duration.ofMinutes(5));
        Finding a = agentFinding("a", Map.of());
        group = AlertGroup.open(routed(a), clock.millis(), quiet);
        clock.advance(Duration.ofSeconds(30));
        assertThat(flush(quiet)).isPresent();

        group = group.with(routed(TestFindings.resolved(a)), clock.millis(), quiet);
        clock.advance(Duration.ofMinutes(5));
        AlertGroup.Flush cleared = group.flush(clock.millis(), quiet, NOTHING_MUTED);
        assertThat(cleared.notification()).isEmpty();
        assertThat(cleared.next()).isEmpty();
    }

    @Test
    void aConditionThatFiresAgainAfterItsResolutionWasSentStartsOver() {
        Finding a = agentFinding("a", Map.of());
        receive(a);
        clock.advance(Duration.ofSeconds(30));
        long firstStart = flush().orElseThrow().alerts().getFirst().startsAtEpochMillis();
        receive(TestFindings.resolved(a));
        clock.advance(Duration.ofMinutes(5));
        assertThat(flush().orElseThrow().status()).isEqualTo("resolved");

        receive(agentFinding("a", Map.of()));
        clock.advance(Duration.ofSeconds(30));
        Notification again = flush().orElseThrow();
        assertThat(again.reason()).isEqualTo(NotificationReason.FIRST_NOTIFICATION);
        assertThat(again.firing().getFirst().startsAtEpochMillis()).isGreaterThan(firstStart);
    }

    @Test
    void silencedAlertsAreLeftOutAndNothingElseIs() {
        receive(runFinding("loud", "run-1"));
        receive(runFinding("quiet", "run-2"));
        Predicate<Map<String, String>> muteRun2 = labels -> "run-2".equals(labels.get("run_id"));
        clock.advance(Duration.ofSeconds(30));

        AlertGroup.Flush result = group.flush(clock.millis(), POLICY, muteRun2);
        assertThat(result.notification().orElseThrow().alerts()).extracting(NotifiedAlert::fingerprint).containsExactly("loud");
        assertThat(result.next().orElseThrow().alerts()).as("the silenced alert stays in the group").containsKey("quiet");
    }

    @Test
    void aGroupWhollySilencedSendsNothingUntilTheSilenceEnds() {
        receive(runFinding("f1", "run-1"));
        clock.advance(Duration.ofSeconds(30));
        assertThat(group.flush(clock.millis(), POLICY, labels -> true).notification()).isEmpty();
        group = group.flush(clock.millis(), POLICY, labels -> true).next().orElseThrow();

        clock.advance(Duration.ofMinutes(5));
        assertThat(flush().orElseThrow().reason()).isEqualTo(NotificationReason.FIRST_NOTIFICATION);
    }

    @Test
    void anAlertResolvedBeforeItWasEverNotifiedIsDroppedQuietly() {
        Finding a = agentFinding("a", Map.of());
        receive(a);
        receive(TestFindings.resolved(a));
        clock.advance(Duration.ofSeconds(30));

        Flush result = flushWhole();
        assertThat(result.notification()).isEmpty();
        assertThat(result.next()).isEmpty();
    }

    @Test
    void notificationIdsAreUniqueAndStable() {
        receive(runFinding("f1", "run-1"));
        clock.advance(Duration.ofSeconds(30));
        AlertGroup before = group;
        String id = flush().orElseThrow().id();
        assertThat(before.flush(clock.millis(), POLICY, NOTHING_MUTED).notification().orElseThrow().id())
                .as("deciding again from the same state gives the same id").isEqualTo(id);
        receive(runFinding("f2", "run-2"));
        clock.advance(Duration.ofMinutes(5));
        assertThat(flush().orElseThrow().id()).isNotEqualTo(id).endsWith("-2");
    }

    private Finding runFinding(String fingerprint, String runId) {
        return TestFindings.runFinding(fingerprint, "tool_loop", Severity.CRITICAL, "acme", runId, clock.millis());
    }

    private Finding agentFinding(String fingerprint, Map<String, String> evidence) {
        return TestFindings.agentFinding(fingerprint, "tool_loop", Severity.ERROR, "acme", clock.millis(), evidence);
    }

    private RoutedAlert routed(Finding finding) {
        return RoutedAlert.of(ROUTE, factory.alertOf(finding, clock.millis()));
    }

    private void receive(Finding finding) {
        group = group == null ? AlertGroup.open(routed(finding), clock.millis(), policy)
                : group.with(routed(finding), clock.millis(), policy);
    }

    private Optional<Notification> flush() {
        return flush(policy);
    }

    private Optional<Notification> flush(GroupPolicy policy) {
        AlertGroup.Flush result = group.flush(clock.millis(), policy, NOTHING_MUTED);
        group = result.next().orElse(null);
        return result.notification();
    }

    private Flush flushWhole() {
        AlertGroup.Flush result = group.flush(clock.millis(), policy, NOTHING_MUTED);
        group = result.next().orElse(null);
        return new Flush(result.next(), result.notification());
    }

    private record Flush(Optional<AlertGroup> next, Optional<Notification> notification) {
    }
}
