package dev.agentwatch.detectors.outcomes;

import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * How delayed outcomes are reconciled with runs. Immutable; validated at construction so that a
 * bad setting fails the start-up with a message naming the setting.
 *
 * <h2>What a run claimed</h2>
 * Claims are compared after {@linkplain #normalize(String) normalization} (trimmed, lower case,
 * spaces and dashes as underscores). A run <em>claimed success</em> when its claimed outcome is in
 * {@code successVocabulary}, or when it ended {@code OK} with a claim in no vocabulary (no claim,
 * or a decision such as {@code refund_issued} or {@code denied}: the agent finished and stood by
 * its result). It <em>claimed failure</em> when its claim is in {@code failureVocabulary}, or when
 * it ended {@code ERROR} with a claim in no vocabulary. A claim in {@code neutralVocabulary} (an
 * escalation, a hand-off) claims neither, and so does an unfinished run without a vocabulary claim.
 *
 * @param successVocabulary           claims that mean success
 * @param failureVocabulary           claims that mean failure
 * @param neutralVocabulary           claims that mean neither (hand-offs, escalations)
 * @param judgeApprovalThreshold      a judge score at or above this approves the run (scores on [0, 1])
 * @param reviewBelowConfidence       runs whose judge confidence is below this go to human review;
 *                                    confidence is the score's distance from the approval threshold
 *                                    scaled to [0, 1] (0 on the threshold, 1 at 0 or 1)
 * @param auditShare                  share of confident approvals drawn for audit, in [0, 1]
 * @param retention                   how long a run waits for its outcomes (and an outcome for its
 *                                    run) after the last event about it, in event time
 * @param subjectSettle               a subject outcome is matched once event time has passed its
 *                                    decision time by this much, so that a run which ended just
 *                                    before the decision has had time to arrive
 * @param expectedOutcomeWindows      per agent name: an outcome is overdue when none arrived this
 *                                    long after the run ended; agents not listed expect none
 * @param rateWindow                  silent-failure rate spikes are looked for over windows this
 *                                    long (whole hours)
 * @param rateBaseline                ... against the agent's rate over this long before the window
 *                                    (whole hours)
 * @param minWindowRuns               runs with outcomes a window needs before a spike is called
 * @param minBaselineRuns             runs with outcomes the baseline needs before a spike is called
 */
public record OutcomeReconciliationConfig(
        Set<String> successVocabulary,
        Set<String> failureVocabulary,
        Set<String> neutralVocabulary,
        double judgeApprovalThreshold,
        double reviewBelowConfidence,
        double auditShare,
        Duration retention,
        Duration subjectSettle,
        Map<String, Duration> expectedOutcomeWindows,
        Duration rateWindow,
        Duration rateBaseline,
        int minWindowRuns,
        int minBaselineRuns) {

    /** Default claims meaning success. */
    public static final Set<String> DEFAULT_SUCCESS = Set.of("approved", "resolved", "success", "succeeded",
            "successful", "completed", "complete", "done", "fixed", "ok");
    /** Default claims meaning failure. */
    public static final Set<String> DEFAULT_FAILURE = Set.of("failed", "failure", "error", "errored", "unresolved",
            "incomplete", "abandoned", "gave_up", "timed_out", "timeout");
    /** Default claims meaning neither. */
    public static final Set<String> DEFAULT_NEUTRAL = Set.of("escalated", "handed_off", "handoff", "transferred",
            "needs_review", "pending", "in_progress");

    private static final Duration HOUR = Duration.ofHours(1);

    public OutcomeReconciliationConfig {
        successVocabulary = normalizedSet(successVocabulary, "outcomes.success.vocabulary");
        failureVocabulary = normalizedSet(failureVocabulary, "outcomes.failure.vocabulary");
        neutralVocabulary = normalizedSet(neutralVocabulary, "outcomes.neutral.vocabulary");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(subjectSettle, "subjectSettle");
        Objects.requireNonNull(rateWindow, "rateWindow");
        Objects.requireNonNull(rateBaseline, "rateBaseline");
        Objects.requireNonNull(expectedOutcomeWindows, "expectedOutcomeWindows");
        overlap(successVocabulary, failureVocabulary, "success", "failure");
        overlap(successVocabulary, neutralVocabulary, "success", "neutral");
        overlap(failureVocabulary, neutralVocabulary, "failure", "neutral");
        if (successVocabulary.isEmpty()) {
            throw new IllegalArgumentException("outcomes.success.vocabulary must name at least one claim");
        }
        fraction(judgeApprovalThreshold, "outcomes.judge.approval.threshold");
        fraction(reviewBelowConfidence, "outcomes.review.below.confidence");
        fraction(auditShare, "outcomes.audit.share");
        if (judgeApprovalThreshold <= 0 || judgeApprovalThreshold >= 1) {
            throw new IllegalArgumentException("outcomes.judge.approval.threshold must be strictly between 0 and 1, got "
                    + judgeApprovalThreshold);
        }
        positive(retention, "outcomes.retention");
        if (subjectSettle.isNegative()) {
            throw new IllegalArgumentException("outcomes.subject.settle must not be negative, got " + subjectSettle);
        }
        if (subjectSettle.compareTo(retention) >= 0) {
            throw new IllegalArgumentException("outcomes.subject.settle must be shorter than outcomes.retention");
        }
        Map<String, Duration> windows = new TreeMap<>();
        expectedOutcomeWindows.forEach((agent, window) -> {
            if (agent == null || agent.isBlank()) {
                throw new IllegalArgumentException("outcomes.expected.windows names an empty agent");
            }
            positive(window, "outcomes.expected.windows[" + agent + "]");
            if (window.compareTo(retention) > 0) {
                throw new IllegalArgumentException("outcomes.expected.windows[" + agent + "] = " + window
                        + " is longer than outcomes.retention = " + retention + ": the run would be forgotten first");
            }
            windows.put(agent.strip(), window);
        });
        expectedOutcomeWindows = Map.copyOf(windows);
        wholeHours(rateWindow, "outcomes.rate.window");
        wholeHours(rateBaseline, "outcomes.rate.baseline");
        if (minWindowRuns < 1 || minBaselineRuns < 1) {
            throw new IllegalArgumentException("outcomes.rate.min.window.runs and outcomes.rate.min.baseline.runs must be"
                    + " at least 1, got " + minWindowRuns + " and " + minBaselineRuns);
        }
    }

    /**
     * The defaults: the vocabularies above, approval at 0.5, review below confidence 0.4 (scores
     * between 0.3 and 0.7), 5% audit, 30 days retention, 2 minutes subject settle, no expected
     * outcomes, spikes over 6 hours against 7 days with at least 20 and 100 runs.
     */
    public static OutcomeReconciliationConfig defaults() {
        return new OutcomeReconciliationConfig(DEFAULT_SUCCESS, DEFAULT_FAILURE, DEFAULT_NEUTRAL, 0.5, 0.4, 0.05,
                Duration.ofDays(30), Duration.ofMinutes(2), Map.of(), Duration.ofHours(6), Duration.ofDays(7), 20, 100);
    }

    public OutcomeReconciliationConfig withExpectedOutcomeWindows(Map<String, Duration> windows) {
        return new OutcomeReconciliationConfig(successVocabulary, failureVocabulary, neutralVocabulary,
                judgeApprovalThreshold, reviewBelowConfidence, auditShare, retention, subjectSettle, windows, rateWindow,
                rateBaseline, minWindowRuns, minBaselineRuns);
    }

    public OutcomeReconciliationConfig withRates(Duration window, Duration baseline, int minWindow, int minBaseline) {
        return new OutcomeReconciliationConfig(successVocabulary, failureVocabulary, neutralVocabulary,
                judgeApprovalThreshold, reviewBelowConfidence, auditShare, retention, subjectSettle,
                expectedOutcomeWindows, window, baseline, minWindow, minBaseline);
    }

    public OutcomeReconciliationConfig withRetention(Duration otherRetention, Duration otherSettle) {
        return new OutcomeReconciliationConfig(successVocabulary, failureVocabulary, neutralVocabulary,
                judgeApprovalThreshold, reviewBelowConfidence, auditShare, otherRetention, otherSettle,
                expectedOutcomeWindows, rateWindow, rateBaseline, minWindowRuns, minBaselineRuns);
    }

    /** Claims and actual values are compared in this form: trimmed, lower case, '_' for spaces and '-'. */
    public static String normalize(String value) {
        return value.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
    }

    private static Set<String> normalizedSet(Set<String> values, String setting) {
        Objects.requireNonNull(values, setting);
        Set<String> out = new HashSet<>();
        for (String value : values) {
            String normalized = normalize(value);
            if (normalized.isEmpty()) {
                throw new IllegalArgumentException(setting + " holds an empty word");
            }
            out.add(normalized);
        }
        return Set.copyOf(out);
    }

    private static void overlap(Set<String> a, Set<String> b, String aName, String bName) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        if (!both.isEmpty()) {
            throw new IllegalArgumentException("claims " + both + " are in both the " + aName + " and the " + bName
                    + " vocabulary; each claim must mean one thing");
        }
    }

    private static void fraction(double value, String setting) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(setting + " must be within [0, 1], got " + value);
        }
    }

    private static void positive(Duration duration, String setting) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive, got " + duration);
        }
    }

    private static void wholeHours(Duration duration, String setting) {
        positive(duration, setting);
        if (duration.toMillis() % HOUR.toMillis() != 0) {
            throw new IllegalArgumentException(setting + " must be a whole number of hours, got " + duration);
        }
    }
}
