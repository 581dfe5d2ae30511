package dev.agentwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The fleet's shape: production-like runs, labelled failures that look like their label, seeds that reproduce. */
class FleetPlannerTest {
    private static final int RUNS = 6000;
    private static final List<RunPlan> PLANS = Plans.plans(42, FailureMix.defaults(), RUNS);

    @Test
    void theSameSeedPlansTheSameFleetAndAnotherSeedDoesNot() {
        List<RunPlan> again = Plans.plans(42, FailureMix.defaults(), 500);
        assertThat(again).isEqualTo(PLANS.subList(0, 500));
        assertThat(Plans.plans(43, FailureMix.defaults(), 500)).isNotEqualTo(again);
    }

    @Test
    void cleanRunsAreShortStructuredWorkflowsWithFewModelCalls() {
        List<RunPlan> clean = PLANS.stream().filter(p -> p.failure().isEmpty()).toList();
        assertThat(clean.size()).isGreaterThan(RUNS / 2);
        assertThat(clean).allSatisfy(plan -> {
            assertThat(plan.finished()).isTrue();
            assertThat(plan.steps().size()).as("steps of %s", plan.subjectId()).isBetween(3, 10);
            assertThat(plan.modelCalls()).isBetween(1L, 9L);
            assertThat(plan.claimedOutcome()).isNotEmpty();
            assertThat(plan.judge()).isPresent();
        });
        long underTen = PLANS.stream().filter(p -> p.spanCount() < 10).count();
        assertThat((double) underTen / RUNS).as("share of all runs under 10 spans").isGreaterThan(0.85);
    }

    @Test
    void everyAgentRunsAndUsesSeveralModels() {
        Map<AgentKind, Set<String>> models = new HashMap<>();
        for (RunPlan plan : PLANS) {
            plan.steps().stream().filter(s -> s instanceof PlannedStep.ModelCall).map(s -> ((PlannedStep.ModelCall) s).requestModel())
                    .forEach(m -> models.computeIfAbsent(plan.agent(), a -> new HashSet<>()).add(m));
        }
        assertThat(models.keySet()).containsExactlyInAnyOrder(AgentKind.values());
        assertThat(models.values()).allSatisfy(m -> assertThat(m.size()).isGreaterThanOrEqualTo(2));
    }

    @Test
    void injectedRatesFollowTheMixWithinSamplingError() {
        Map<FailureKind, Long> counts = PLANS.stream().filter(p -> p.failure().isPresent())
                .collect(Collectors.groupingBy(p -> p.failure().get(), Collectors.counting()));
        var rolloutAt = Plans.planner(Plans.config(42, FailureMix.defaults())).rolloutAt();
        for (FailureKind kind : FailureKind.values()) {
            List<RunPlan> eligible = PLANS.stream().filter(p -> p.agent().canHave(kind))
                    .filter(p -> kind != FailureKind.MODEL_ROLLOUT_REGRESSION || !p.start().isBefore(rolloutAt))
                    .toList();
            double expected = FailureMix.defaults().rate(kind) * eligible.size();
            double sigma = Math.sqrt(expected);
            assertThat((double) counts.getOrDefault(kind, 0L)).as(kind.label())
                    .isBetween(expected - 4 * sigma - 1, expected + 4 * sigma + 1);
        }
    }

    @Test
    void eachLabelledFailureHasTheShapeItsDetectorLooksFor() {
        for (RunPlan plan : PLANS) {
            if (plan.failure().isEmpty()) {
                continue;
            }
            List<PlannedStep.ToolExecution> tools = tools(plan);
            List<PlannedStep.ModelCall> calls = models(plan);
            switch (plan.failure().get()) {
                case SWALLOWED_TOOL_ERROR -> {
                    assertThat(tools).anyMatch(PlannedStep.ToolExecution::failed);
                    PlannedStep.ToolExecution failed = tools.stream().filter(PlannedStep.ToolExecution::failed).findFirst().orElseThrow();
                    assertThat(tools).noneMatch(t -> !t.failed() && t.toolName().equals(failed.toolName())
                            && t.start().isAfter(failed.start()));
                    assertThat(plan.finished()).isTrue();
                    assertThat(plan.claimedOutcome()).isNotEmpty();
                }
                case LOOP -> assertThat(maxIdenticalCalls(tools)).isGreaterThanOrEqualTo(5);
                case STEP_BUDGET_OVERRUN -> assertThat(plan.steps().size()).isGreaterThan(20);
                case UNFINISHED_RUN -> {
                    assertThat(plan.finished()).isFalse();
                    assertThat(plan.spanCount()).isEqualTo(plan.steps().size()).isPositive();
                    assertThat(plan.truth()).isEmpty();
                }
                case LATENCY_SPIKE -> assertThat(plan.steps()).anyMatch(s -> Duration.between(s.start(), s.end()).toSeconds() >= 4);
                case COST_SPIKE -> assertThat(calls).anyMatch(c -> c.usage().inputTokens() >= 30_000);
                case TRUNCATED_OUTPUT -> assertThat(calls).anyMatch(c -> c.finishReason().equals("length")
                        && c.usage().outputTokens() == c.maxTokens());
                case POLICY_VIOLATION -> {
                    assertThat(plan.agent()).isEqualTo(AgentKind.SRE);
                    assertThat(tools).anyMatch(t -> Set.of("restart_service", "scale_deployment", "rollback_deployment")
                            .contains(t.toolName()));
                }
                case MISSING_STEP -> {
                    Set<String> executed = tools.stream().map(PlannedStep.ToolExecution::callId).collect(Collectors.toSet());
                    assertThat(calls.stream().flatMap(c -> c.requestedCalls().stream()))
                            .anyMatch(r -> !executed.contains(r.callId()));
                }
                case MODEL_ROLLOUT_REGRESSION -> {
                    assertThat(plan.decisionModel()).isEqualTo(RunPlanner.ROLLED_OUT_DECISION_MODEL);
                    assertThat(plan.truth()).hasValueSatisfying(t -> assertThat(t.verdict()).isEqualTo("incorrect"));
                }
                case WRONG_DECISION -> assertThat(plan.truth()).hasValueSatisfying(t -> {
                    assertThat(t.verdict()).isEqualTo("incorrect");
                    assertThat(t.actualValue()).isNotEqualTo(plan.claimedOutcome());
                });
            }
        }
        assertThat(PLANS.stream().filter(p -> p.failure().isPresent()).map(p -> p.failure().get()).distinct())
                .containsExactlyInAnyOrder(FailureKind.values());
    }

    @Test
    void cleanRunsNeverLookLikeTheFailuresTheyDoNotCarry() {
        List<RunPlan> clean = PLANS.stream().filter(p -> p.failure().isEmpty()).toList();
        assertThat(clean).allSatisfy(plan -> {
            assertThat(maxIdenticalCalls(tools(plan))).isLessThanOrEqualTo(2);
            assertThat(models(plan)).noneMatch(c -> c.finishReason().equals("length"));
            assertThat(models(plan)).allMatch(c -> c.usage().inputTokens() < 30_000);
            plan.truth().ifPresent(t -> assertThat(t.verdict()).isEqualTo("correct"));
        });
        // Transient errors that a retry fixed: noise the swallowed-error detector must not flag.
        assertThat(clean).anyMatch(plan -> tools(plan).stream().anyMatch(PlannedStep.ToolExecution::failed));
    }

    @Test
    void theRolloutSwitchesTheClaimsDecisionModelHalfWayThroughTheSimulatedSpan() {
        var rolloutAt = Plans.planner(Plans.config(42, FailureMix.defaults())).rolloutAt();
        assertThat(PLANS.stream().filter(p -> p.agent() == AgentKind.CLAIMS && p.finished())).allSatisfy(plan ->
                assertThat(plan.decisionModel()).isEqualTo(plan.start().isBefore(rolloutAt)
                        ? RunPlanner.DECISION_MODEL : RunPlanner.ROLLED_OUT_DECISION_MODEL));
        long wrongBefore = wrongClaims(PLANS, true, rolloutAt);
        long wrongAfter = wrongClaims(PLANS, false, rolloutAt);
        assertThat(wrongAfter).as("wrong claims decisions after the rollout").isGreaterThan(2 * wrongBefore);
    }

    @Test
    void judgeAndTruthFollowTheRunsOutcome() {
        List<RunPlan> wrong = PLANS.stream().filter(p -> p.failure().filter(f -> f == FailureKind.WRONG_DECISION
                || f == FailureKind.MODEL_ROLLOUT_REGRESSION).isPresent()).toList();
        long falseApprovals = wrong.stream().filter(p -> p.judge().orElseThrow().confident()).count();
        assertThat(falseApprovals).as("the judge confidently approves most wrong decisions").isGreaterThan(wrong.size() / 2);
        assertThat(PLANS).allSatisfy(plan -> plan.truth().ifPresent(t -> {
            assertThat(t.observedAt()).isAfter(plan.end());
            assertThat(Duration.between(plan.end(), t.observedAt())).isLessThanOrEqualTo(RunPlanner.maxOutcomeDelay());
            assertThat(t.bySubject()).isEqualTo(plan.agent() == AgentKind.CLAIMS);
            if (!plan.judge().orElseThrow().confident()) {
                assertThat(t.source()).isEqualTo("human_review");
            }
        }));
        assertThat(PLANS.stream().filter(p -> p.judge().isPresent() && !p.judge().get().confident()))
                .allSatisfy(plan -> assertThat(plan.truth()).isPresent());
    }

    @Test
    void stepsNeverOverlapAndRunsStartOnSchedule() {
        FleetConfig config = Plans.config(42, FailureMix.defaults());
        FleetSchedule schedule = new FleetSchedule(Plans.WALL_START, Plans.SIM_START, config.compression(), config.ratePerSecond());
        for (int i = 0; i < 200; i++) {
            RunPlan plan = PLANS.get(i);
            assertThat(plan.start()).isEqualTo(schedule.simStart(i));
            var previousEnd = plan.start();
            for (PlannedStep step : plan.steps()) {
                assertThat(step.start()).isAfterOrEqualTo(previousEnd);
                previousEnd = step.end();
            }
            assertThat(plan.end()).isAfterOrEqualTo(previousEnd);
        }
    }

    @Test
    void theJudgeDoubtsARightRunOnlyWhenAFalseRejectionIsInjected() {
        List<RunPlan> rightRuns = PLANS.stream().filter(RunPlan::finished)
                .filter(p -> p.failure().filter(f -> f == FailureKind.WRONG_DECISION
                        || f == FailureKind.MODEL_ROLLOUT_REGRESSION).isEmpty()).toList();
        assertThat(rightRuns).filteredOn(p -> !p.judge().orElseThrow().confident())
                .isNotEmpty()
                .allSatisfy(p -> {
                    assertThat(p.failure()).contains(FailureKind.JUDGE_FALSE_REJECTION);
                    assertThat(p.truth().orElseThrow().verdict()).isEqualTo("correct");
                });
        assertThat(Plans.plans(7, FailureMix.none(), 1000))
                .allSatisfy(p -> p.judge().ifPresent(j -> assertThat(j.confident()).isTrue()));
    }

    @Test
    void aMixOfNoneInjectsNothing() {
        assertThat(Plans.plans(7, FailureMix.none(), 1000)).allSatisfy(p -> assertThat(p.failure()).isEmpty());
    }

    private static long wrongClaims(List<RunPlan> plans, boolean before, java.time.Instant rolloutAt) {
        return plans.stream().filter(p -> p.agent() == AgentKind.CLAIMS && p.start().isBefore(rolloutAt) == before)
                .filter(p -> p.truth().map(t -> t.verdict().equals("incorrect")).orElse(false)).count();
    }

    private static List<PlannedStep.ToolExecution> tools(RunPlan plan) {
        return plan.steps().stream().filter(s -> s instanceof PlannedStep.ToolExecution)
                .map(s -> (PlannedStep.ToolExecution) s).toList();
    }

    private static List<PlannedStep.ModelCall> models(RunPlan plan) {
        return plan.steps().stream().filter(s -> s instanceof PlannedStep.ModelCall)
                .map(s -> (PlannedStep.ModelCall) s).toList();
    }

    private static int maxIdenticalCalls(Collection<PlannedStep.ToolExecution> tools) {
        Map<String, Integer> counts = new HashMap<>();
        for (PlannedStep.ToolExecution t : tools) {
            counts.merge(t.toolName() + " " + new java.util.TreeMap<>(t.arguments()), 1, Integer::sum);
        }
        return counts.values().stream().max(Integer::compare).orElse(0);
    }

}
