package dev.agentwatch.detectors.outcomes;

import static dev.agentwatch.detectors.outcomes.Fixtures.T0;
import static dev.agentwatch.detectors.outcomes.Fixtures.finding;
import static dev.agentwatch.detectors.outcomes.Fixtures.outcome;
import static dev.agentwatch.detectors.outcomes.Fixtures.outcomeForRun;
import static dev.agentwatch.detectors.outcomes.Fixtures.outcomeForSubject;
import static dev.agentwatch.detectors.outcomes.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Reconciliation;
import dev.agentwatch.model.Reconciliation.MatchedBy;
import dev.agentwatch.model.Reconciliation.Mismatch;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunReview;
import dev.agentwatch.model.Severity;
import dev.agentwatch.model.Verdict;
import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutcomeReconciliationTopologyTest {
    private static final Instant NOW = T0.plus(Duration.ofDays(10));

    @TempDir
    Path stateDir;

    private final OutcomeMetrics metrics = new OutcomeMetrics();
    private TopologyTestDriver driver;
    private TestInputTopic<String, Run> runs;
    private TestInputTopic<String, Outcome> outcomes;
    private TestInputTopic<String, Finding> findingsIn;
    private TestInputTopic<String, byte[]> rawOutcomes;
    private TestOutputTopic<String, Finding> findings;
    private TestOutputTopic<String, Reconciliation> reconciliations;
    private TestOutputTopic<String, RunReview> reviews;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    private void start(OutcomeReconciliationConfig config) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "outcomes-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(OutcomeReconciliationTopology.build(config, Clock.fixed(NOW, ZoneOffset.UTC),
                metrics), props);
        runs = driver.createInputTopic(Topics.RUNS.name(), Serdes.String().serializer(), Topics.RUNS.valueSerde().serializer());
        outcomes = driver.createInputTopic(Topics.OUTCOMES.name(), Serdes.String().serializer(),
                Topics.OUTCOMES.valueSerde().serializer());
        rawOutcomes = driver.createInputTopic(Topics.OUTCOMES.name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        findingsIn = driver.createInputTopic(Topics.FINDINGS.name(), Serdes.String().serializer(),
                Topics.FINDINGS.valueSerde().serializer());
        findings = driver.createOutputTopic(Topics.FINDINGS.name(), Serdes.String().deserializer(),
                Topics.FINDINGS.valueSerde().deserializer());
        reconciliations = driver.createOutputTopic(Topics.RECONCILIATIONS.name(), Serdes.String().deserializer(),
                Topics.RECONCILIATIONS.valueSerde().deserializer());
        reviews = driver.createOutputTopic(Topics.RUN_REVIEWS.name(), Serdes.String().deserializer(),
                Topics.RUN_REVIEWS.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), Serdes.String().deserializer(),
                Topics.DEAD_LETTERS.valueSerde().deserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void send(Run run) {
        runs.pipeInput(run.runId(), run, run.closedAtEpochMillis());
    }

    private void send(Outcome outcome) {
        outcomes.pipeInput(outcome.key(), outcome, outcome.receivedEpochMillis());
    }

    /** Findings written by the topology, without the echo of other detectors' findings we piped in. */
    private List<Finding> ownFindings() {
        return findings.readValuesToList().stream().filter(f -> RunReconciler.OWN_DETECTORS.contains(f.detector())).toList();
    }

    @Test
    void reportsASilentFailureAndAJudgeFalseApprovalWhenTheOutcomeComesDaysAfterTheRun() {
        start(OutcomeReconciliationConfig.defaults());
        send(run("r1").claim("approved").judge(0.92).build());
        send(outcomeForRun("o1", "r1", Verdict.INCORRECT, T0.plus(Duration.ofDays(7))));

        List<Finding> out = ownFindings();
        assertThat(out).extracting(Finding::detector).containsExactlyInAnyOrder("silent_failure", "judge_false_approval");
        assertThat(out).allSatisfy(f -> assertThat(f.runId()).isEqualTo("r1"));
        assertThat(reconciliations.readValuesToList()).singleElement().satisfies(row -> {
            assertThat(row.mismatch()).isEqualTo(Mismatch.SILENT_FAILURE);
            assertThat(row.matchedBy()).isEqualTo(MatchedBy.RUN_ID);
            assertThat(row.effective()).isTrue();
            assertThat(row.reconciledAtEpochMillis()).isEqualTo(NOW.toEpochMilli());
            assertThat(row.outcomeObservedEpochMillis()).isEqualTo(T0.plus(Duration.ofDays(7)).toEpochMilli());
        });
    }

    @Test
    void reconcilesAnOutcomeThatArrivesBeforeItsRun() {
        start(OutcomeReconciliationConfig.defaults());
        send(outcomeForRun("o1", "r1", Verdict.INCORRECT, T0.plusSeconds(5)));
        assertThat(reconciliations.isEmpty()).isTrue();

        send(run("r1").claim("resolved").build());

        assertThat(ownFindings()).extracting(Finding::detector).containsExactly("silent_failure");
        assertThat(reconciliations.readValue().mismatch()).isEqualTo(Mismatch.SILENT_FAILURE);
    }

    @Test
    void aRedeliveredOutcomeChangesNothingAndIsCounted() {
        start(OutcomeReconciliationConfig.defaults());
        send(run("r1").claim("approved").build());
        Outcome outcome = outcomeForRun("o1", "r1", Verdict.INCORRECT, T0.plus(Duration.ofDays(1)));
        send(outcome);
        send(outcome);

        assertThat(reconciliations.readValuesToList()).hasSize(1);
        assertThat(ownFindings()).hasSize(1);
        assertThat(metrics.get("outcomes.ignored.stale_or_duplicate")).isEqualTo(1);
    }

    @Test
    void aSupersedingOutcomeReReconcilesWithAHigherVersionButReportsTheFindingOnce() {
        start(OutcomeReconciliationConfig.defaults());
        send(run("r1").claim("approved").build());
        send(outcomeForRun("o1", "r1", Verdict.INCORRECT, T0.plus(Duration.ofDays(1))));
        send(outcomeForRun("o2", "r1", Verdict.CORRECT, T0.plus(Duration.ofDays(2))));
        send(outcomeForRun("o3", "r1", Verdict.INCORRECT, T0.plus(Duration.ofDays(3))));

        List<Reconciliation> rows = reconciliations.readValuesToList();
        assertThat(rows).extracting(Reconciliation::outcomeId).containsExactly("o1", "o2", "o3");
        assertThat(rows).extracting(Reconciliation::version).containsExactly(1L, 2L, 3L);
        assertThat(rows).extracting(Reconciliation::reconciliationId).containsOnly("r1/human_review");
        assertThat(ownFindings()).extracting(Finding::detector).containsExactly("silent_failure");
    }

    @Test
    void aSubjectOutcomeJudgesTheLatestRunOfTheSubjectThatEndedBeforeTheDecision() {
        start(OutcomeReconciliationConfig.defaults());
        send(run("first").subject("claim-7").claim("denied").endedAt(T0).build());
        send(run("second").subject("claim-7").claim("approved").endedAt(T0.plus(Duration.ofHours(3))).build());
        send(run("later").subject("claim-7").claim("approved").endedAt(T0.plus(Duration.ofDays(3))).build());
        send(run("other-subject").subject("claim-8").claim("approved").endedAt(T0.plus(Duration.ofHours(4))).build());

        send(outcomeForSubject("o1", "claim-7", Verdict.INCORRECT, T0.plus(Duration.ofDays(1))));

        assertThat(reconciliations.readValuesToList()).singleElement().satisfies(row -> {
            assertThat(row.runId()).isEqualTo("second");
            assertThat(row.matchedBy()).isEqualTo(MatchedBy.SUBJECT);
            assertThat(row.subjectId()).isEqualTo("claim-7");
            assertThat(row.mismatch()).isEqualTo(Mismatch.SILENT_FAILURE);
        });
        assertThat(ownFindings()).singleElement().satisfies(f -> {
            assertThat(f.runId()).isEqualTo("second");
            assertThat(f.evidence()).containsEntry("matched_by", "subject");
        });
    }

    @Test
    void aSubjectOutcomeArrivingBeforeItsRunIsMatchedWhenTheRunComes() {
        start(OutcomeReconciliationConfig.defaults());
        Instant decision = T0.plus(Duration.ofDays(2));
        send(outcome("o1", "acme", "", "ticket-3", Verdict.UNSPECIFIED, "reopened", "crm", decision,
                decision.plus(Duration.ofHours(1))));
        assertThat(reconciliations.isEmpty()).isTrue();

        send(run("r1").subject("ticket-3").claim("resolved").endedAt(T0).build());

        assertThat(reconciliations.readValuesToList()).singleElement().satisfies(row -> {
            assertThat(row.runId()).isEqualTo("r1");
            assertThat(row.mismatch()).isEqualTo(Mismatch.SILENT_FAILURE);
            assertThat(row.actualValue()).isEqualTo("reopened");
        });
    }

    @Test
    void anOutcomeWhoseRunNeverComesIsReportedUnmatchedWhenRetentionEnds() {
        start(OutcomeReconciliationConfig.defaults().withRetention(Duration.ofDays(3), Duration.ofMinutes(2)));
        send(outcomeForRun("o1", "ghost", Verdict.INCORRECT, T0));
        send(outcomeForSubject("o2", "claim-404", Verdict.INCORRECT, T0));
        assertThat(reconciliations.isEmpty()).isTrue();

        // Event time moves on with other traffic, on both stages.
        Instant later = T0.plus(Duration.ofDays(4));
        send(run("r9").subject("claim-1").endedAt(later).build());

        assertThat(reconciliations.readValuesToList()).extracting(Reconciliation::reconciliationId, Reconciliation::mismatch)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("unmatched/o1", Mismatch.UNMATCHED),
                        org.assertj.core.groups.Tuple.tuple("unmatched/o2", Mismatch.UNMATCHED));
        assertThat(metrics.get("outcomes.unmatched.run_id")).isEqualTo(1);
        assertThat(metrics.get("outcomes.unmatched.subject")).isEqualTo(1);
    }

    @Test
    void anOutcomeCanNeverMeetAnotherTenantsRun() {
        start(OutcomeReconciliationConfig.defaults().withRetention(Duration.ofDays(3), Duration.ofMinutes(2)));
        send(run("r1").claim("approved").subject("claim-1").build());
        send(outcome("o1", "mallory", "r1", "", Verdict.INCORRECT, "", "customer", T0.plusSeconds(60), T0.plusSeconds(61)));
        send(outcome("o2", "mallory", "", "claim-1", Verdict.INCORRECT, "", "customer", T0.plusSeconds(60),
                T0.plus(Duration.ofHours(1))));

        assertThat(reconciliations.isEmpty()).isTrue();
        assertThat(ownFindings()).isEmpty();
        send(run("r2").endedAt(T0.plus(Duration.ofDays(5))).build());
        assertThat(reconciliations.readValuesToList()).extracting(Reconciliation::mismatch).containsOnly(Mismatch.UNMATCHED);
    }

    @Test
    void reportsAnOutcomeOverdueForAnAgentThatExpectsOneAndNotWhenItCameInTime() {
        start(OutcomeReconciliationConfig.defaults()
                .withExpectedOutcomeWindows(Map.of("claims-agent", Duration.ofHours(72))));
        send(run("late").claim("approved").build());
        send(run("on-time").claim("approved").build());
        send(run("no-expectation").agent("chat-agent", "v1").build());
        send(outcomeForRun("o1", "on-time", Verdict.CORRECT, T0.plus(Duration.ofHours(10))));
        assertThat(ownFindings()).isEmpty();

        send(run("tick").agent("chat-agent", "v1").endedAt(T0.plus(Duration.ofHours(73))).build());

        assertThat(ownFindings()).singleElement().satisfies(f -> {
            assertThat(f.detector()).isEqualTo("outcome_overdue");
            assertThat(f.runId()).isEqualTo("late");
        });
        send(run("tick-2").agent("chat-agent", "v1").endedAt(T0.plus(Duration.ofHours(80))).build());
        assertThat(ownFindings()).isEmpty();
    }

    @Test
    void routesUnsureJudgementsToReviewAndAuditsSomeConfidentApprovals() {
        start(OutcomeReconciliationConfig.defaults());
        send(run("unsure").judge(0.55).build());
        send(run("rejected").judge(0.02).build());
        int audited = 0;
        for (int i = 0; i < 400; i++) {
            send(run("confident-" + i).judge(0.97).build());
        }

        List<RunReview> out = reviews.readValuesToList();
        assertThat(out).filteredOn(r -> r.reason() == RunReview.Reason.REVIEW).extracting(RunReview::runId)
                .containsExactly("unsure");
        audited = (int) out.stream().filter(r -> r.reason() == RunReview.Reason.AUDIT).count();
        // 5% of 400 = 20; the binomial standard deviation is 4.4.
        assertThat(audited).isBetween(5, 40);
        assertThat(out).filteredOn(r -> r.reason() == RunReview.Reason.AUDIT)
                .allSatisfy(r -> assertThat(JudgeRouter.auditDraw(r.runId())).isLessThan(0.05));
    }

    @Test
    void aSilentFailureNamesTheRunsOtherFindingsButNeverOurOwn() {
        start(OutcomeReconciliationConfig.defaults());
        send(run("r1").claim("approved").errors(1).build());
        findingsIn.pipeInput("fp-1", finding("swallowed_error", Severity.ERROR, "r1", "step-4"), T0.toEpochMilli());
        findingsIn.pipeInput("fp-2", finding("silent_failure", Severity.ERROR, "r1", ""), T0.toEpochMilli());
        findingsIn.pipeInput("fp-3", finding("loop", Severity.WARNING, "other-run", "s"), T0.toEpochMilli());
        send(outcomeForRun("o1", "r1", Verdict.INCORRECT, T0.plus(Duration.ofDays(1))));

        Finding silent = ownFindings().stream().filter(f -> f.evidence().containsKey("look_first")).findFirst()
                .orElseThrow();
        assertThat(silent.evidence()).containsEntry("look_first", "swallowed_error@step-4")
                .containsEntry("related_findings", "1");
    }

    @Test
    void aSilentFailureNoLongerNamesAFindingThatALateStepResolved() {
        start(OutcomeReconciliationConfig.defaults());
        send(run("r1").claim("approved").errors(1).build());
        Finding missing = finding("missing_tool_step", Severity.ERROR, "r1", "step-3");
        findingsIn.pipeInput("fp-1", finding("swallowed_error", Severity.WARNING, "r1", "step-4"), T0.toEpochMilli());
        findingsIn.pipeInput(missing.fingerprint(), missing, T0.toEpochMilli());
        findingsIn.pipeInput(missing.fingerprint(), missing.resolvedAt(T0.toEpochMilli() + 1, Map.of()), T0.toEpochMilli());
        send(outcomeForRun("o1", "r1", Verdict.INCORRECT, T0.plus(Duration.ofDays(1))));

        Finding silent = ownFindings().stream().filter(f -> f.detector().equals("silent_failure")).findFirst()
                .orElseThrow();
        assertThat(silent.evidence()).containsEntry("look_first", "swallowed_error@step-4")
                .containsEntry("related_findings", "1");
        assertThat(silent.evidence().get("related")).doesNotContain("missing_tool_step");
    }

    @Test
    void aSilentFailureWithoutErrorsPointsAtItsMostSevereFindingAndListsTheOthers() {
        start(OutcomeReconciliationConfig.defaults());
        send(run("r1").claim("approved").build());
        findingsIn.pipeInput("fp-1", finding("loop", Severity.WARNING, "r1", ""), T0.toEpochMilli());
        findingsIn.pipeInput("fp-2", finding("latency_outlier", Severity.WARNING, "r1", "step-2"), T0.toEpochMilli());
        findingsIn.pipeInput("fp-3", finding("missing_tool_step", Severity.ERROR, "r1", "step-3"), T0.toEpochMilli());
        send(outcomeForRun("o1", "r1", Verdict.INCORRECT, T0.plus(Duration.ofDays(1))));

        Finding silent = ownFindings().stream().filter(f -> f.detector().equals("silent_failure")).findFirst()
                .orElseThrow();
        assertThat(silent.evidence()).containsEntry("look_first", "missing_tool_step@step-3")
                .containsEntry("related_findings", "3");
        assertThat(silent.evidence().get("related")).startsWith("missing_tool_step@step-3 (error)")
                .contains("loop (warning)").contains("latency_outlier@step-2 (warning)");
        assertThat(silent.summary()).endsWith("look first at missing_tool_step on step step-3");
    }

    @Test
    void aNewRunRevisionIsReconciledAgain() {
        start(OutcomeReconciliationConfig.defaults());
        send(run("r1").claim("escalated").build());
        send(outcomeForRun("o1", "r1", Verdict.INCORRECT, T0.plus(Duration.ofDays(1))));
        assertThat(reconciliations.readValue().mismatch()).isEqualTo(Mismatch.UNDETERMINED);

        send(run("r1").claim("approved").revision(1).build());
        send(run("r1").claim("approved").revision(1).build());

        assertThat(reconciliations.readValuesToList()).singleElement().satisfies(row -> {
            assertThat(row.mismatch()).isEqualTo(Mismatch.SILENT_FAILURE);
            assertThat(row.runRevision()).isEqualTo(1);
            assertThat(row.version()).isEqualTo(2);
        });
    }

    @Test
    void deadLettersAnUndecodableOutcomeAndKeepsGoing() {
        start(OutcomeReconciliationConfig.defaults());
        rawOutcomes.pipeInput("r1", "{not json".getBytes(StandardCharsets.UTF_8), T0.toEpochMilli());
        rawOutcomes.pipeInput("r1", ("{\"outcomeId\":\"x\",\"tenant\":\"acme\",\"runId\":\"\",\"subjectId\":\"\","
                + "\"verdict\":\"CORRECT\",\"actualValue\":\"\",\"source\":\"s\",\"observedEpochMillis\":1,"
                + "\"receivedEpochMillis\":1,\"reason\":\"\",\"attributes\":{}}").getBytes(StandardCharsets.UTF_8),
                T0.toEpochMilli());
        send(run("r1").claim("approved").build());
        send(outcomeForRun("o1", "r1", Verdict.INCORRECT, T0.plus(Duration.ofDays(1))));

        List<DeadLetter> letters = deadLetters.readValuesToList();
        assertThat(letters).hasSize(2).allSatisfy(letter -> {
            assertThat(letter.reason()).isEqualTo("undecodable_outcomes");
            assertThat(letter.stage()).isEqualTo("reconcile");
            assertThat(letter.sourceTopic()).isEqualTo(Topics.OUTCOMES.name());
        });
        assertThat(letters.get(1).detail()).contains("names a run id or a subject id");
        assertThat(metrics.get("dead_letters.undecodable_outcomes")).isEqualTo(2);
        assertThat(ownFindings()).extracting(Finding::detector).containsExactly("silent_failure");
    }

    @Test
    void reportsASilentFailureRateSpikeOncePerEpisode() {
        start(OutcomeReconciliationConfig.defaults().withRates(Duration.ofHours(2), Duration.ofHours(24), 20, 50));
        int n = 0;
        // Baseline: 10 runs an hour for 20 hours, 1 in 10 hours has a silent failure (0.5%).
        for (int hour = 0; hour < 20; hour++) {
            for (int i = 0; i < 10; i++) {
                reconciledRun("b" + n++, T0.plus(Duration.ofHours(hour)).plusSeconds(i), hour % 10 == 0 && i == 0);
            }
        }
        assertThat(ownFindings()).filteredOn(f -> f.detector().equals("silent_failure_rate_spike")).isEmpty();
        // Window: 30 runs in one hour, 12 silent failures.
        for (int i = 0; i < 30; i++) {
            reconciledRun("w" + i, T0.plus(Duration.ofHours(21)).plusSeconds(i), i % 5 < 2);
        }

        List<Finding> spikes = ownFindings().stream().filter(f -> f.detector().equals("silent_failure_rate_spike")).toList();
        assertThat(spikes).singleElement().satisfies(spike -> {
            assertThat(spike.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(spike.runId()).isEmpty();
            assertThat(spike.agentName()).isEqualTo("claims-agent");
            assertThat(spike.evidence()).containsEntry("baseline_runs", "200").containsEntry("baseline_silent_failures", "2");
            assertThat(Integer.parseInt(spike.evidence().get("window_runs"))).isBetween(20, 30);
        });
    }

    private void reconciledRun(String runId, Instant end, boolean silentFailure) {
        send(run(runId).claim("approved").endedAt(end).build());
        send(outcomeForRun("o-" + runId, runId, silentFailure ? Verdict.INCORRECT : Verdict.CORRECT,
                end.plus(Duration.ofMinutes(30))));
    }
}
