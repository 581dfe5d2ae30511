package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.detectors.outcomes.OutcomeComparator.Comparison;
import dev.agentwatch.detectors.outcomes.RunLedger.MatchedOutcome;
import dev.agentwatch.detectors.outcomes.RunLedger.RateContribution;
import dev.agentwatch.detectors.outcomes.RunLedger.RelatedFinding;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Reconciliation;
import dev.agentwatch.model.Reconciliation.JudgeAgreement;
import dev.agentwatch.model.Reconciliation.MatchedBy;
import dev.agentwatch.model.Reconciliation.Mismatch;
import dev.agentwatch.model.Reconciliation.Truth;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.Severity;
import dev.agentwatch.model.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Turns a run's ledger into reconciliation rows, findings and its rate contribution. Pure: the
 * time of reconciliation is passed in.
 *
 * <h2>Findings (one per run and detector; fingerprint = detector, tenant, run)</h2>
 * Judged on the run's effective outcome (its latest word over all sources):
 * <ul>
 *   <li>{@value #SILENT_FAILURE}: claimed success and the truth is wrong; {@code error}, or
 *       {@code warning} when the truth is only partial. Its evidence lists the run's other
 *       findings (attribution), most severe first, and names the step to look at first.</li>
 *   <li>{@value #JUDGE_FALSE_APPROVAL} ({@code warning}) and {@value #JUDGE_FALSE_REJECTION}
 *       ({@code info}): the judge disagreed with the truth.</li>
 *   <li>{@value #FALSE_ALARM} ({@code info}): the run reported failure, the truth says right.</li>
 *   <li>{@value #OUTCOME_OVERDUE} ({@code warning}): see {@link #overdue}.</li>
 * </ul>
 * Attribution holds the findings that had reached the reconciliation when the outcome was
 * reconciled; a finding arriving later is kept but does not re-issue an already reported finding.
 */
final class RunReconciler {
    static final String SILENT_FAILURE = "silent_failure";
    static final String JUDGE_FALSE_APPROVAL = "judge_false_approval";
    static final String JUDGE_FALSE_REJECTION = "judge_false_rejection";
    static final String FALSE_ALARM = "false_alarm";
    static final String OUTCOME_OVERDUE = "outcome_overdue";
    static final String RATE_SPIKE = "silent_failure_rate_spike";

    /** Our own detectors: their findings are never attribution for one another. */
    static final List<String> OWN_DETECTORS = List.of(SILENT_FAILURE, JUDGE_FALSE_APPROVAL, JUDGE_FALSE_REJECTION,
            FALSE_ALARM, OUTCOME_OVERDUE, RATE_SPIKE);

    private static final int MAX_LISTED_FINDINGS = 10;
    private static final int MAX_REASON_CHARS = 200;
    private static final long HOUR_MILLIS = Duration.ofHours(1).toMillis();

    private final OutcomeComparator comparator;

    RunReconciler(OutcomeComparator comparator) {
        this.comparator = Objects.requireNonNull(comparator, "comparator");
    }

    /**
     * What a reconciliation produced.
     *
     * @param rows         one row per outcome source; exactly one is effective
     * @param findings     findings the effective outcome calls for (the caller drops those already reported)
     * @param contribution the run's contribution to its agent's rates, null when the truth is undetermined
     */
    record Result(List<Reconciliation> rows, List<Finding> findings, RateContribution contribution) {
        Result {
            rows = List.copyOf(rows);
            findings = List.copyOf(findings);
        }
    }

    /** Reconciles every outcome of a ledger that holds its run; {@code version} stamps the rows. */
    Result reconcile(RunLedger ledger, long version, long nowMillis) {
        if (!ledger.reconcilable()) {
            throw new IllegalArgumentException("a ledger without its run or outcomes cannot be reconciled");
        }
        Run run = ledger.run();
        MatchedOutcome effective = ledger.effectiveOutcome().orElseThrow();
        List<Reconciliation> rows = new ArrayList<>();
        Reconciliation effectiveRow = null;
        for (MatchedOutcome matched : ledger.outcomes()) {
            boolean isEffective = matched == effective;
            Reconciliation row = row(run, matched, comparator.compare(run, matched.outcome()), isEffective, version,
                    nowMillis);
            rows.add(row);
            if (isEffective) {
                effectiveRow = row;
            }
        }
        List<Finding> findings = findings(run, effective.outcome(), effectiveRow, ledger.relatedFindings(), nowMillis);
        RateContribution contribution = effectiveRow.truth().determined()
                ? new RateContribution(run.tenant(), run.agentName(), run.agentVersion(),
                Math.floorDiv(endMillis(run), HOUR_MILLIS) * HOUR_MILLIS,
                effectiveRow.mismatch() == Mismatch.SILENT_FAILURE)
                : null;
        return new Result(rows, findings, contribution);
    }

    /** The rows of outcomes that never met their run: kept visible instead of vanishing. */
    static List<Reconciliation> unmatched(List<Outcome> outcomes, long version, long nowMillis) {
        List<Reconciliation> rows = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            rows.add(new Reconciliation("unmatched/" + outcome.outcomeId(), outcome.tenant(), "", "", outcome.runId(),
                    outcome.subjectId(), outcome.outcomeId(), outcome.source(), MatchedBy.NONE, outcome.verdict(),
                    outcome.actualValue(), Truth.UNDETERMINED, "", Reconciliation.Claim.NONE, null, Double.NaN,
                    Reconciliation.JudgeCall.NONE, Mismatch.UNMATCHED, JudgeAgreement.UNDETERMINED, false, -1, 0,
                    outcome.observedEpochMillis(), nowMillis, version));
        }
        return rows;
    }

    /** The finding for a run that expected an outcome and got none in time. */
    static Finding overdue(Run run, Duration window, long nowMillis) {
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("expected_within", window.toString());
        evidence.put("run_ended_at", Instant.ofEpochMilli(endMillis(run)).toString());
        evidence.put("run_status", run.status().label());
        evidence.put("claimed_outcome", run.claimedOutcome());
        return new Finding(Fingerprints.of(OUTCOME_OVERDUE, run.tenant(), run.runId()), OUTCOME_OVERDUE, Severity.WARNING,
                run.tenant(), run.agentName(), run.agentVersion(), run.runId(), "", run.subjectId(),
                "no outcome for run of " + agentLabel(run) + " within " + humanDuration(window) + " of its end",
                run.endEpochNanos(), nowMillis, evidence, Map.of());
    }

    private static Reconciliation row(Run run, MatchedOutcome matched, Comparison comparison, boolean effective,
                                      long version, long nowMillis) {
        Outcome outcome = matched.outcome();
        return new Reconciliation(run.runId() + "/" + outcome.source(), run.tenant(), run.agentName(),
                run.agentVersion(), run.runId(), run.subjectId().isEmpty() ? outcome.subjectId() : run.subjectId(),
                outcome.outcomeId(), outcome.source(), matched.matchedBy(), outcome.verdict(), outcome.actualValue(),
                comparison.truth(), run.claimedOutcome(), comparison.claim(), run.status(), run.judgeScore(),
                comparison.judgeCall(), comparison.mismatch(), comparison.judgeAgreement(), effective, run.revision(),
                endMillis(run), outcome.observedEpochMillis(), nowMillis, version);
    }

    private static List<Finding> findings(Run run, Outcome outcome, Reconciliation row, List<RelatedFinding> related,
                                          long nowMillis) {
        List<Finding> findings = new ArrayList<>();
        if (row.mismatch() == Mismatch.SILENT_FAILURE) {
            Map<String, String> evidence = evidence(run, outcome, row);
            attribution(run, related, evidence);
            String lookFirst = related.isEmpty() ? "" : "; look first at " + related.getFirst().detector()
                    + (related.getFirst().stepId().isEmpty() ? "" : " on step " + related.getFirst().stepId());
            findings.add(finding(SILENT_FAILURE, row.truth() == Truth.PARTIAL ? Severity.WARNING : Severity.ERROR, run,
                    claimPhrase(run) + " but " + outcome.source() + " says " + truthPhrase(outcome, row) + lookFirst,
                    evidence, nowMillis));
        } else if (row.mismatch() == Mismatch.FALSE_ALARM) {
            findings.add(finding(FALSE_ALARM, Severity.INFO, run,
                    "run reported failure (" + failurePhrase(run) + ") but " + outcome.source() + " says it was right",
                    evidence(run, outcome, row), nowMillis));
        }
        if (row.judgeAgreement() == JudgeAgreement.FALSE_APPROVAL) {
            findings.add(finding(JUDGE_FALSE_APPROVAL, Severity.WARNING, run,
                    "judge approved (" + judgePhrase(run) + ") but " + outcome.source() + " says "
                            + truthPhrase(outcome, row), evidence(run, outcome, row), nowMillis));
        } else if (row.judgeAgreement() == JudgeAgreement.FALSE_REJECTION) {
            findings.add(finding(JUDGE_FALSE_REJECTION, Severity.INFO, run,
                    "judge rejected (" + judgePhrase(run) + ") but " + outcome.source() + " says it was right",
                    evidence(run, outcome, row), nowMillis));
        }
        return findings;
    }

    private static Finding finding(String detector, Severity severity, Run run, String what,
                                   Map<String, String> evidence, long nowMillis) {
        return new Finding(Fingerprints.of(detector, run.tenant(), run.runId()), detector, severity, run.tenant(),
                run.agentName(), run.agentVersion(), run.runId(), "", run.subjectId(),
                agentLabel(run) + ": " + what, run.endEpochNanos(), nowMillis, evidence, Map.of());
    }

    private static Map<String, String> evidence(Run run, Outcome outcome, Reconciliation row) {
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("claimed_outcome", run.claimedOutcome());
        evidence.put("claim", row.claim().label());
        evidence.put("run_status", run.status().label());
        evidence.put("truth", row.truth().label());
        evidence.put("verdict", outcome.verdict().label());
        evidence.put("actual_value", outcome.actualValue());
        evidence.put("outcome_source", outcome.source());
        evidence.put("outcome_id", outcome.outcomeId());
        evidence.put("matched_by", row.matchedBy().label());
        evidence.put("outcome_observed_at", Instant.ofEpochMilli(outcome.observedEpochMillis()).toString());
        evidence.put("outcome_delay", Duration.ofMillis(Math.max(0, outcome.observedEpochMillis() - endMillis(run)))
                .toString());
        evidence.put("judge_call", row.judgeCall().label());
        evidence.put("judge_score", run.hasJudgeScore() ? Double.toString(run.judgeScore()) : "");
        evidence.put("run_steps", Integer.toString(run.steps()));
        evidence.put("run_errors", Integer.toString(run.errors()));
        evidence.put("run_retries", Integer.toString(run.retries()));
        evidence.put("run_revision", Integer.toString(run.revision()));
        if (!outcome.reason().isEmpty()) {
            evidence.put("outcome_reason", truncate(outcome.reason(), MAX_REASON_CHARS));
        }
        return evidence;
    }

    /** Where on-call should look first: the run's other findings, most severe first. */
    private static void attribution(Run run, List<RelatedFinding> related, Map<String, String> evidence) {
        evidence.put("related_findings", Integer.toString(related.size()));
        if (!related.isEmpty()) {
            RelatedFinding first = related.getFirst();
            evidence.put("look_first", first.detector() + (first.stepId().isEmpty() ? "" : "@" + first.stepId()));
            evidence.put("related", related.stream().limit(MAX_LISTED_FINDINGS)
                    .map(f -> f.detector() + (f.stepId().isEmpty() ? "" : "@" + f.stepId()) + " (" + f.severity().label()
                            + "): " + truncate(f.summary(), 120))
                    .collect(Collectors.joining("; ")));
        } else if (run.errors() > 0) {
            evidence.put("look_first", run.errors() + " step(s) with status ERROR in a run that ended "
                    + run.status().label());
        }
    }

    private static String claimPhrase(Run run) {
        if (!run.claimedOutcome().isEmpty()) {
            return "run claimed '" + run.claimedOutcome() + "' (status " + run.status().label() + ")";
        }
        return "run ended " + run.status().label() + " with no claim";
    }

    private static String failurePhrase(Run run) {
        return run.claimedOutcome().isEmpty() ? "status " + run.status().label()
                : "claimed '" + run.claimedOutcome() + "', status " + run.status().label();
    }

    private static String truthPhrase(Outcome outcome, Reconciliation row) {
        if (outcome.verdict() == Verdict.UNSPECIFIED) {
            return "it was '" + outcome.actualValue() + "'";
        }
        return row.truth() == Truth.PARTIAL ? "it was only partly right" : "it was wrong";
    }

    private static String judgePhrase(Run run) {
        return run.hasJudgeScore() ? "score " + run.judgeScore() : "label '" + run.judgeLabel() + "'";
    }

    private static String agentLabel(Run run) {
        String agent = run.agentName().isEmpty() ? run.service() : run.agentName();
        return run.agentVersion().isEmpty() ? agent : agent + " " + run.agentVersion();
    }

    static long endMillis(Run run) {
        long end = run.endEpochNanos() / 1_000_000;
        return end > 0 ? end : run.closedAtEpochMillis();
    }

    private static String humanDuration(Duration duration) {
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
