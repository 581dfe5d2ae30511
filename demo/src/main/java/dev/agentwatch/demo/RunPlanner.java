package dev.agentwatch.demo;

import dev.agentwatch.instrumentation.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Plans runs shaped like production agents: short structured workflows (most runs under 10
 * steps, a few model calls each), several models per agent, a judge verdict and a delayed truth.
 * At most one failure is injected per run, drawn from the {@link FailureMix}. Pure: the same
 * arguments and random state give the same plan. Thread-safe.
 */
public final class RunPlanner {
    /** The claims agent's deciding model before the rollout. */
    static final String DECISION_MODEL = "claude-sonnet-4-20250514";
    /** ... and after it: quietly worse at claims decisions. */
    static final String ROLLED_OUT_DECISION_MODEL = "claude-sonnet-4-5-20250929";

    /** The write-capable tools the read-only SRE agent must never use (and does in a policy violation). */
    public static final List<String> SRE_WRITE_TOOLS = List.of("restart_service", "scale_deployment",
            "rollback_deployment");

    private static final double TRANSIENT_TOOL_ERROR_RATE = 0.06;
    private static final double TRUTH_COVERAGE_OF_CORRECT_RUNS = 0.6;
    private static final double JUDGE_CATCHES_WRONG_DECISION = 0.35;
    private static final double AUDIT_SAMPLE = 0.05;
    private static final HexFormat HEX = HexFormat.of();

    private final FailureMix mix;
    private final String subjectPrefix;

    public RunPlanner(FailureMix mix, String subjectPrefix) {
        this.mix = Objects.requireNonNull(mix, "mix");
        this.subjectPrefix = Objects.requireNonNull(subjectPrefix, "subjectPrefix");
    }

    /** The longest delay between a run's end and its truth, for draining outcomes. */
    public static Duration maxOutcomeDelay() {
        return Duration.ofDays(5);
    }

    /**
     * Plans run {@code index} of {@code agent} starting at simulated time {@code start}.
     *
     * @param afterRollout whether the claims agent's new decision model is live
     */
    public RunPlan plan(long index, AgentKind agent, Instant start, boolean afterRollout, SplittableRandom rng) {
        Optional<FailureKind> failure = drawFailure(agent, afterRollout, rng);
        Timeline timeline = new Timeline(start, rng);
        String conversationId = "conv-" + HEX.toHexDigits(rng.nextLong());
        Outline outline = switch (agent) {
            case CLAIMS -> claims(timeline, failure, afterRollout, index, rng);
            case SUPPORT -> support(timeline, failure, index, rng);
            case SRE -> sre(timeline, failure, index, rng);
        };
        boolean finished = failure.orElse(null) != FailureKind.UNFINISHED_RUN;
        Instant end = finished ? timeline.finish() : timeline.lastEnd();
        Optional<JudgeVerdict> judge = finished ? Optional.of(judge(outline.wrong(),
                failure.orElse(null) == FailureKind.JUDGE_FALSE_REJECTION, rng)) : Optional.empty();
        Optional<GroundTruth> truth = finished ? truth(agent, outline, judge.get(), end, rng) : Optional.empty();
        return new RunPlan(index, agent, agent.version(), conversationId, outline.subjectId(), start, end, finished,
                timeline.steps(), finished ? outline.claimed() : "", outline.decisionModel(), judge, truth, failure,
                outline.detail());
    }

    /** What a workflow decided, besides its steps. */
    private record Outline(String subjectId, String claimed, String actual, String decisionModel, boolean wrong,
                           String detail) {
    }

    private Optional<FailureKind> drawFailure(AgentKind agent, boolean afterRollout, SplittableRandom rng) {
        double u = rng.nextDouble();
        double cumulative = 0;
        for (FailureKind kind : FailureKind.values()) {
            if (!agent.canHave(kind) || (kind == FailureKind.MODEL_ROLLOUT_REGRESSION && !afterRollout)) {
                continue;
            }
            cumulative += mix.rate(kind);
            if (u < cumulative) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    // ---- claims: coverage check -> medical necessity -> risk -> decision

    private Outline claims(Timeline t, Optional<FailureKind> failure, boolean afterRollout, long index,
                           SplittableRandom rng) {
        FailureKind f = failure.orElse(null);
        String subject = "CLM-" + subjectPrefix + "-" + index;
        String policy = "P-" + (10_000 + rng.nextInt(90_000));
        long amount = 200 + rng.nextInt(20_000);
        String procedure = "CPT-" + (99_200 + rng.nextInt(300));
        String detail = "";
        int stopAfter = f == FailureKind.UNFINISHED_RUN ? 2 + rng.nextInt(3) : Integer.MAX_VALUE;
        int spikeAt = f == FailureKind.LATENCY_SPIKE ? rng.nextInt(4) : -1;

        Map<String, Object> policyArgs = Map.of("policy_id", policy);
        PlannedStep.RequestedCall lookup = t.request("lookup_policy", policyArgs);
        t.model("openai", "gpt-4.1-mini", "gpt-4.1-mini-2025-04-14", 900, 512,
                usage(t, 1800, 0, 120), "tool_calls", List.of(lookup));
        if (spikeAt == 0) {
            t.slowNextStep(30 + rng.nextInt(40));
            detail = "lookup_policy slowed down";
        }
        if (!failure.isPresent() && rng.nextDouble() < TRANSIENT_TOOL_ERROR_RATE) {
            t.tool("lookup_policy", lookup.callId(), policyArgs, 250, "http_503", "policy service unavailable");
            t.tool("lookup_policy", t.newCallId(), policyArgs, 250);
        } else {
            t.tool("lookup_policy", lookup.callId(), policyArgs, 250);
        }
        if (t.size() >= stopAfter) {
            return new Outline(subject, "", "", "", false, "root never ended after " + t.size() + " steps");
        }

        if (f == FailureKind.LOOP) {
            int repeats = 4 + rng.nextInt(3);
            for (int i = 0; i < repeats; i++) {
                PlannedStep.RequestedCall again = t.request("lookup_policy", policyArgs);
                t.model("gcp.gemini", "gemini-2.5-flash", "gemini-2.5-flash", 700, 512,
                        usage(t, 2600, 0, 90), "tool_calls", List.of(again));
                t.tool("lookup_policy", again.callId(), policyArgs, 250);
            }
            detail = "lookup_policy called " + (repeats + 1) + " times with the same arguments";
        }
        if (f == FailureKind.STEP_BUDGET_OVERRUN) {
            int rounds = 10 + rng.nextInt(7);
            for (int page = 1; page <= rounds; page++) {
                Map<String, Object> pageArgs = Map.of("claim_id", subject, "page", page);
                PlannedStep.RequestedCall more = t.request("get_medical_records", pageArgs);
                t.model("gcp.gemini", "gemini-2.5-flash", "gemini-2.5-flash", 700, 512,
                        usage(t, 2600 + 400L * page, 0, 90), "tool_calls", List.of(more));
                t.tool("get_medical_records", more.callId(), pageArgs, 300);
            }
            detail = rounds + " extra record-reading rounds";
        }

        Map<String, Object> necessityArgs = Map.of("claim_id", subject, "procedure_code", procedure);
        PlannedStep.RequestedCall necessity = t.request("check_medical_necessity", necessityArgs);
        t.model("gcp.gemini", "gemini-2.5-flash", "gemini-2.5-flash", 800, 512,
                usage(t, 2800, 0, 150), "tool_calls", List.of(necessity));
        if (t.size() >= stopAfter) {
            return new Outline(subject, "", "", "", false, "root never ended after " + t.size() + " steps");
        }
        if (f == FailureKind.MISSING_STEP) {
            detail = "check_medical_necessity requested (" + necessity.callId() + ") but never run";
        } else {
            if (spikeAt == 1) {
                t.slowNextStep(30 + rng.nextInt(40));
                detail = "check_medical_necessity slowed down";
            }
            t.tool("check_medical_necessity", necessity.callId(), necessityArgs, 600);
            if (rng.nextDouble() < 0.3) {
                Map<String, Object> recordsArgs = Map.of("claim_id", subject, "page", 1);
                t.tool("get_medical_records", t.newCallId(), recordsArgs, 300);
            }
        }

        Map<String, Object> riskArgs = Map.of("claim_id", subject, "amount", amount);
        if (spikeAt == 2) {
            t.slowNextStep(30 + rng.nextInt(40));
            detail = "score_risk slowed down";
        }
        if (f == FailureKind.SWALLOWED_TOOL_ERROR) {
            t.tool("score_risk", t.newCallId(), riskArgs, 400, "timeout", "risk model did not answer in 5 s");
            detail = "score_risk timed out; the run decided anyway";
        } else {
            t.tool("score_risk", t.newCallId(), riskArgs, 400);
        }
        if (t.size() >= stopAfter) {
            return new Outline(subject, "", "", "", false, "root never ended after " + t.size() + " steps");
        }

        String decisionModel = afterRollout ? ROLLED_OUT_DECISION_MODEL : DECISION_MODEL;
        if (spikeAt == 3) {
            t.slowNextStep(25 + rng.nextInt(30));
            detail = "decision call slowed down";
        }
        long maxTokens = 1024;
        Usage decisionUsage = switch (f) {
            case COST_SPIKE -> {
                detail = "decision call read the whole claim history";
                yield new Usage(t.tokens(120_000), t.tokens(1800), 0, 0, 0);
            }
            case TRUNCATED_OUTPUT -> {
                detail = "decision cut off at max_tokens";
                yield new Usage(t.tokens(5200) + 3072, maxTokens, 3072, 0, 0);
            }
            case null, default -> usage(t, 5200, 3072, 420);
        };
        String finish = f == FailureKind.TRUNCATED_OUTPUT ? "length" : "stop";
        t.model("anthropic", "claude-sonnet-4", decisionModel, 2600, maxTokens, decisionUsage, finish, List.of());

        double r = rng.nextDouble();
        String decided = r < 0.70 ? "approved" : r < 0.95 ? "denied" : "partially_approved";
        boolean wrong = f == FailureKind.WRONG_DECISION || f == FailureKind.MODEL_ROLLOUT_REGRESSION;
        String actual = wrong ? (decided.equals("approved") ? "denied" : "approved") : decided;
        if (wrong) {
            detail = (f == FailureKind.MODEL_ROLLOUT_REGRESSION ? "new model " + decisionModel + " " : "")
                    + "claimed " + decided + ", truth " + actual;
        }
        return new Outline(subject, decided, actual, decisionModel, wrong, detail);
    }

    // ---- support: classify -> knowledge base -> order -> answer, refund or hand-off

    private Outline support(Timeline t, Optional<FailureKind> failure, long index, SplittableRandom rng) {
        FailureKind f = failure.orElse(null);
        String subject = "TKT-" + subjectPrefix + "-" + index;
        String order = "ORD-" + (100_000 + rng.nextInt(900_000));
        double r = rng.nextDouble();
        String intent = r < 0.5 ? "question" : r < 0.8 ? "refund" : "complaint";
        String detail = "";
        int stopAfter = f == FailureKind.UNFINISHED_RUN ? 1 + rng.nextInt(3) : Integer.MAX_VALUE;

        Map<String, Object> kbArgs = Map.of("topic", intent, "locale", "en");
        PlannedStep.RequestedCall kb = t.request("search_kb", kbArgs);
        t.model("gcp.gemini", "gemini-2.5-flash-lite", "gemini-2.5-flash-lite", 400, 256,
                usage(t, 900, 0, 40), "tool_calls", List.of(kb));
        t.tool("search_kb", kb.callId(), kbArgs, 150);
        if (f == FailureKind.LOOP) {
            int repeats = 4 + rng.nextInt(3);
            for (int i = 0; i < repeats; i++) {
                PlannedStep.RequestedCall again = t.request("search_kb", kbArgs);
                t.model("gcp.gemini", "gemini-2.5-flash-lite", "gemini-2.5-flash-lite", 400, 256,
                        usage(t, 1100, 0, 40), "tool_calls", List.of(again));
                t.tool("search_kb", again.callId(), kbArgs, 150);
            }
            detail = "search_kb called " + (repeats + 1) + " times with the same arguments";
        }
        if (f == FailureKind.STEP_BUDGET_OVERRUN) {
            int rounds = 10 + rng.nextInt(7);
            for (int page = 1; page <= rounds; page++) {
                Map<String, Object> args = Map.of("topic", intent, "locale", "en", "page", page);
                PlannedStep.RequestedCall more = t.request("search_kb", args);
                t.model("openai", "gpt-4.1-mini", "gpt-4.1-mini-2025-04-14", 600, 256,
                        usage(t, 1500 + 300L * page, 0, 40), "tool_calls", List.of(more));
                t.tool("search_kb", more.callId(), args, 150);
            }
            detail = rounds + " extra knowledge-base pages";
        }
        if (t.size() >= stopAfter) {
            return new Outline(subject, "", "", "", false, "root never ended after " + t.size() + " steps");
        }

        Map<String, Object> orderArgs = Map.of("order_id", order);
        PlannedStep.RequestedCall getOrder = t.request("get_order", orderArgs);
        if (f == FailureKind.MISSING_STEP) {
            t.model("openai", "gpt-4.1-mini", "gpt-4.1-mini-2025-04-14", 700, 512,
                    usage(t, 1600, 1024, 60), "tool_calls", List.of(getOrder));
            detail = "get_order requested (" + getOrder.callId() + ") but never run";
        } else {
            if (f == FailureKind.LATENCY_SPIKE) {
                t.slowNextStep(40 + rng.nextInt(40));
                detail = "get_order slowed down";
            }
            t.tool("get_order", getOrder.callId(), orderArgs, 200);
        }
        if (t.size() >= stopAfter) {
            return new Outline(subject, "", "", "", false, "root never ended after " + t.size() + " steps");
        }

        String claimed;
        switch (intent) {
            case "refund" -> {
                Map<String, Object> refundArgs = Map.of("order_id", order, "amount_cents", 500 + rng.nextInt(20_000));
                PlannedStep.RequestedCall refund = t.request("issue_refund", refundArgs);
                t.model("openai", "gpt-4.1-mini", "gpt-4.1-mini-2025-04-14", 900, 512,
                        usage(t, 2200, 1024, 80), "tool_calls", List.of(refund));
                if (f == FailureKind.SWALLOWED_TOOL_ERROR) {
                    t.tool("issue_refund", refund.callId(), refundArgs, 350, "payment_gateway_declined",
                            "refund declined by the payment gateway");
                    detail = "issue_refund failed; the run told the customer the refund was issued";
                } else {
                    t.tool("issue_refund", refund.callId(), refundArgs, 350);
                }
                claimed = "refund_issued";
            }
            case "complaint" -> {
                t.handoff("human_support_queue");
                claimed = "escalated";
            }
            default -> claimed = "resolved";
        }
        if (f == FailureKind.SWALLOWED_TOOL_ERROR && !intent.equals("refund")) {
            t.tool("update_ticket", t.newCallId(), Map.of("ticket_id", subject, "status", "answered"), 120,
                    "conflict", "ticket was modified concurrently");
            detail = "update_ticket failed; the run reported the ticket answered";
        }

        Usage answerUsage = switch (f) {
            case COST_SPIKE -> {
                detail = "answer call stuffed the full order history into the prompt";
                yield new Usage(t.tokens(90_000), t.tokens(1200), 0, 0, 0);
            }
            case TRUNCATED_OUTPUT -> {
                detail = "answer cut off at max_tokens";
                yield new Usage(t.tokens(2600) + 1024, 600, 1024, 0, 0);
            }
            case null, default -> usage(t, 2600, 1024, 260);
        };
        t.model("openai", "gpt-4.1-mini", "gpt-4.1-mini-2025-04-14", 1400, 600, answerUsage,
                f == FailureKind.TRUNCATED_OUTPUT ? "length" : "stop", List.of());

        boolean wrong = f == FailureKind.WRONG_DECISION;
        String actual = wrong ? "unresolved" : claimed;
        if (wrong) {
            detail = "claimed " + claimed + ", the customer came back: " + actual;
        }
        return new Outline(subject, claimed, actual, "gpt-4.1-mini-2025-04-14", wrong, detail);
    }

    // ---- SRE: plan -> metrics, logs, deployments -> diagnosis; read-only

    private Outline sre(Timeline t, Optional<FailureKind> failure, long index, SplittableRandom rng) {
        FailureKind f = failure.orElse(null);
        String subject = "INC-" + subjectPrefix + "-" + index;
        String[] services = {"checkout", "payments", "search", "inventory", "auth"};
        String service = services[rng.nextInt(services.length)];
        String detail = "";
        int stopAfter = f == FailureKind.UNFINISHED_RUN ? 1 + rng.nextInt(3) : Integer.MAX_VALUE;

        Map<String, Object> metricsArgs = Map.of("service", service, "window_min", 30);
        Map<String, Object> logsArgs = Map.of("service", service, "level", "error", "window_min", 30);
        PlannedStep.RequestedCall metrics = t.request("query_metrics", metricsArgs);
        PlannedStep.RequestedCall logs = t.request("search_logs", logsArgs);
        t.model("anthropic", "claude-haiku-4-5", "claude-haiku-4-5-20251001", 700, 512,
                usage(t, 1500, 0, 140), "tool_calls", List.of(metrics, logs));
        if (f == FailureKind.SWALLOWED_TOOL_ERROR) {
            t.tool("query_metrics", metrics.callId(), metricsArgs, 300, "prometheus_unreachable",
                    "metrics backend unreachable");
            detail = "query_metrics failed; the diagnosis was posted anyway";
        } else {
            t.tool("query_metrics", metrics.callId(), metricsArgs, 300);
        }
        if (f == FailureKind.LATENCY_SPIKE) {
            t.slowNextStep(40 + rng.nextInt(40));
            detail = "search_logs slowed down";
        }
        t.tool("search_logs", logs.callId(), logsArgs, 500);
        if (t.size() >= stopAfter) {
            return new Outline(subject, "", "", "", false, "root never ended after " + t.size() + " steps");
        }
        if (f == FailureKind.LOOP) {
            int repeats = 4 + rng.nextInt(3);
            for (int i = 0; i < repeats; i++) {
                PlannedStep.RequestedCall again = t.request("search_logs", logsArgs);
                t.model("anthropic", "claude-haiku-4-5", "claude-haiku-4-5-20251001", 700, 512,
                        usage(t, 2500, 0, 100), "tool_calls", List.of(again));
                t.tool("search_logs", again.callId(), logsArgs, 500);
            }
            detail = "search_logs called " + (repeats + 1) + " times with the same arguments";
        }
        if (f == FailureKind.STEP_BUDGET_OVERRUN) {
            int rounds = 10 + rng.nextInt(7);
            for (int hop = 1; hop <= rounds; hop++) {
                Map<String, Object> args = Map.of("service", service, "window_min", 30, "dependency_hop", hop);
                PlannedStep.RequestedCall more = t.request("query_metrics", args);
                t.model("anthropic", "claude-haiku-4-5", "claude-haiku-4-5-20251001", 700, 512,
                        usage(t, 2000 + 350L * hop, 0, 100), "tool_calls", List.of(more));
                t.tool("query_metrics", more.callId(), args, 300);
            }
            detail = rounds + " extra dependency hops";
        }
        if (rng.nextDouble() < 0.5) {
            t.tool("get_deployments", t.newCallId(), Map.of("service", service, "since_hours", 24), 200);
        }
        if (t.size() >= stopAfter) {
            return new Outline(subject, "", "", "", false, "root never ended after " + t.size() + " steps");
        }

        Usage diagnoseUsage = switch (f) {
            case COST_SPIKE -> {
                detail = "diagnosis call read a day of raw logs";
                yield new Usage(t.tokens(150_000), t.tokens(2000), 0, 0, 0);
            }
            case TRUNCATED_OUTPUT -> {
                detail = "diagnosis cut off at max_tokens";
                yield new Usage(t.tokens(6000) + 4096, 1500, 4096, 0, 300);
            }
            case null, default -> new Usage(t.tokens(6000) + 4096, t.tokens(600) + 200, 4096, 0, 200);
        };
        t.model("anthropic", "claude-sonnet-4", "claude-sonnet-4-20250514", 3200, 1500, diagnoseUsage,
                f == FailureKind.TRUNCATED_OUTPUT ? "length" : "stop", List.of());
        String claimed = "diagnosis_posted";
        if (f == FailureKind.POLICY_VIOLATION) {
            String write = SRE_WRITE_TOOLS.get(rng.nextInt(SRE_WRITE_TOOLS.size()));
            t.tool(write, t.newCallId(), Map.of("service", service), 900);
            claimed = "remediated";
            detail = "read-only agent called " + write;
        }
        boolean wrong = f == FailureKind.WRONG_DECISION;
        String actual = wrong ? "different_root_cause" : "root_cause_confirmed";
        if (wrong) {
            detail = "the postmortem found a different root cause";
        }
        return new Outline(subject, claimed, actual, "claude-sonnet-4-20250514", wrong, detail);
    }

    // ---- judge and truth

    /** A right run is doubted only when a judge false rejection is injected. */
    private static JudgeVerdict judge(boolean wrong, boolean falseRejection, SplittableRandom rng) {
        boolean doubtful = wrong ? rng.nextDouble() < JUDGE_CATCHES_WRONG_DECISION : falseRejection;
        double score = doubtful ? 0.2 + 0.48 * rng.nextDouble() : 0.72 + 0.27 * rng.nextDouble();
        score = Math.round(score * 1000) / 1000.0;
        return new JudgeVerdict(score, score >= JudgeVerdict.CONFIDENT ? "pass" : "fail");
    }

    private static Optional<GroundTruth> truth(AgentKind agent, Outline outline, JudgeVerdict judge, Instant end,
                                               SplittableRandom rng) {
        boolean audited = judge.confident() && rng.nextDouble() < AUDIT_SAMPLE;
        boolean reviewed = !judge.confident() || audited;
        if (!outline.wrong() && !reviewed && rng.nextDouble() >= TRUTH_COVERAGE_OF_CORRECT_RUNS) {
            return Optional.empty();
        }
        String verdict = outline.wrong() ? "incorrect" : "correct";
        String source;
        Duration delay;
        String reason;
        if (reviewed) {
            source = "human_review";
            delay = hours(rng, 2, 36);
            reason = audited ? "audit sample of confident approvals" : "low judge confidence";
        } else if (outline.wrong()) {
            source = agent == AgentKind.SRE ? "downstream_system" : "customer";
            delay = hours(rng, 24, 96);
            reason = agent == AgentKind.SRE ? "postmortem" : agent == AgentKind.CLAIMS ? "appeal" : "complaint";
        } else {
            source = "downstream_system";
            delay = hours(rng, 12, 120);
            reason = agent == AgentKind.CLAIMS ? "claim settled" : agent == AgentKind.SUPPORT ? "ticket closed" : "incident closed";
        }
        return Optional.of(new GroundTruth(verdict, outline.actual(), source, end.plus(delay), reason,
                agent == AgentKind.CLAIMS));
    }

    private static Duration hours(SplittableRandom rng, int min, int max) {
        return Duration.ofMinutes(min * 60L + rng.nextLong((max - min) * 60L + 1));
    }

    /** Ordinary usage: {@code cacheRead} cached tokens on top of {@code input}, jittered. */
    private static Usage usage(Timeline t, double input, long cacheRead, double output) {
        return new Usage(t.tokens(input) + cacheRead, t.tokens(output), cacheRead, 0, 0);
    }
}
