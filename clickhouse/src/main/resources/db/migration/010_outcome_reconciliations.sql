-- Outcomes joined back to their runs, from topic agentwatch_reconciliations (detectors, package
-- outcomes). One row per run and outcome source, re-written with a higher version whenever the
-- run's reconciliation changes (a newer outcome, a new run revision); one row per outcome that
-- never met its run (mismatch = 'unmatched'). The sort key is the row's identity alone: a run's
-- agent and end time can change with a late revision, and a sort key that changes would keep
-- both versions. Queries use FINAL.
--   reconciliation_id    '<run id>/<source>', or 'unmatched/<outcome id>'
--   matched_by           run_id | subject | none
--   verdict              the outcome's verdict as sent: correct | incorrect | partial | unspecified
--   truth                what the outcome means for the run: correct | incorrect | partial | undetermined
--   claim                what the run claimed: success | failure | none (see OutcomeReconciliationConfig)
--   run_status           ok | error | unfinished ('' when unmatched)
--   judge_score          the run's judge score, nan when none
--   judge_call           approved | rejected | none
--   mismatch             silent_failure | false_alarm | none | undetermined | unmatched
--   judge_agreement      agreed | false_approval | false_rejection | no_judge | undetermined
--   effective            this outcome is the run's latest word (rates count only these)
--   run_closed_at        when the run ended (its latest step end)
--   outcome_observed_at  when the truth was decided; reconciled_at: processing time of the join
CREATE TABLE IF NOT EXISTS outcome_reconciliations (
    reconciliation_id String,
    tenant LowCardinality(String),
    agent_name LowCardinality(String),
    agent_version LowCardinality(String),
    run_id String,
    subject_id String,
    outcome_id String,
    source LowCardinality(String),
    matched_by LowCardinality(String),
    verdict LowCardinality(String),
    actual_value String,
    truth LowCardinality(String),
    claimed_outcome LowCardinality(String),
    claim LowCardinality(String),
    run_status LowCardinality(String),
    judge_score Float64,
    judge_call LowCardinality(String),
    mismatch LowCardinality(String),
    judge_agreement LowCardinality(String),
    effective Bool,
    run_revision Int64,
    run_closed_at DateTime64(3, 'UTC'),
    outcome_observed_at DateTime64(3, 'UTC'),
    reconciled_at DateTime64(3, 'UTC'),
    version UInt64,
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_run_closed run_closed_at TYPE minmax GRANULARITY 4,
    INDEX idx_agent agent_name TYPE bloom_filter GRANULARITY 4,
    INDEX idx_run run_id TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (tenant, reconciliation_id);

-- Hourly silent-failure and judge-agreement rates per agent version, by the hour the runs ended,
-- with Wilson 95% score intervals (the same formula as WilsonInterval in the detectors). Counts
-- only each run's effective outcome. Rates are nan and bounds 0..1 for an hour without runs.
--   runs_with_outcome      runs whose effective outcome has a determined truth
--   silent_failures        of those, runs that claimed success and were wrong
--   judged_runs            of those, runs with a judge verdict; judge_agreements: the judge was right
CREATE VIEW IF NOT EXISTS outcome_rates_1h AS
SELECT
    tenant,
    agent_name,
    agent_version,
    toStartOfHour(run_closed_at) AS hour,
    countIf(truth != 'undetermined') AS runs_with_outcome,
    countIf(mismatch = 'silent_failure') AS silent_failures,
    countIf(mismatch = 'false_alarm') AS false_alarms,
    countIf(judge_agreement IN ('agreed', 'false_approval', 'false_rejection')) AS judged_runs,
    countIf(judge_agreement = 'agreed') AS judge_agreements,
    countIf(judge_agreement = 'false_approval') AS judge_false_approvals,
    countIf(judge_agreement = 'false_rejection') AS judge_false_rejections,
    if(runs_with_outcome = 0, nan, silent_failures / runs_with_outcome) AS silent_failure_rate,
    if(runs_with_outcome = 0, 0, greatest(0, (silent_failure_rate + 3.8414588206941254 / (2 * runs_with_outcome)
        - 1.959963984540054 * sqrt(silent_failure_rate * (1 - silent_failure_rate) / runs_with_outcome
        + 3.8414588206941254 / (4 * runs_with_outcome * runs_with_outcome)))
        / (1 + 3.8414588206941254 / runs_with_outcome))) AS silent_failure_rate_lower,
    if(runs_with_outcome = 0, 1, least(1, (silent_failure_rate + 3.8414588206941254 / (2 * runs_with_outcome)
        + 1.959963984540054 * sqrt(silent_failure_rate * (1 - silent_failure_rate) / runs_with_outcome
        + 3.8414588206941254 / (4 * runs_with_outcome * runs_with_outcome)))
        / (1 + 3.8414588206941254 / runs_with_outcome))) AS silent_failure_rate_upper,
    if(judged_runs = 0, nan, judge_agreements / judged_runs) AS judge_agreement_rate,
    if(judged_runs = 0, 0, greatest(0, (judge_agreement_rate + 3.8414588206941254 / (2 * judged_runs)
        - 1.959963984540054 * sqrt(judge_agreement_rate * (1 - judge_agreement_rate) / judged_runs
        + 3.8414588206941254 / (4 * judged_runs * judged_runs)))
        / (1 + 3.8414588206941254 / judged_runs))) AS judge_agreement_rate_lower,
    if(judged_runs = 0, 1, least(1, (judge_agreement_rate + 3.8414588206941254 / (2 * judged_runs)
        + 1.959963984540054 * sqrt(judge_agreement_rate * (1 - judge_agreement_rate) / judged_runs
        + 3.8414588206941254 / (4 * judged_runs * judged_runs)))
        / (1 + 3.8414588206941254 / judged_runs))) AS judge_agreement_rate_upper
FROM outcome_reconciliations FINAL
WHERE effective AND mismatch != 'unmatched'
GROUP BY tenant, agent_name, agent_version, hour;

-- The same over all versions of an agent.
CREATE VIEW IF NOT EXISTS outcome_rates_agent_1h AS
SELECT
    tenant,
    agent_name,
    toStartOfHour(run_closed_at) AS hour,
    countIf(truth != 'undetermined') AS runs_with_outcome,
    countIf(mismatch = 'silent_failure') AS silent_failures,
    countIf(mismatch = 'false_alarm') AS false_alarms,
    countIf(judge_agreement IN ('agreed', 'false_approval', 'false_rejection')) AS judged_runs,
    countIf(judge_agreement = 'agreed') AS judge_agreements,
    countIf(judge_agreement = 'false_approval') AS judge_false_approvals,
    countIf(judge_agreement = 'false_rejection') AS judge_false_rejections,
    if(runs_with_outcome = 0, nan, silent_failures / runs_with_outcome) AS silent_failure_rate,
    if(runs_with_outcome = 0, 0, greatest(0, (silent_failure_rate + 3.8414588206941254 / (2 * runs_with_outcome)
        - 1.959963984540054 * sqrt(silent_failure_rate * (1 - silent_failure_rate) / runs_with_outcome
        + 3.8414588206941254 / (4 * runs_with_outcome * runs_with_outcome)))
        / (1 + 3.8414588206941254 / runs_with_outcome))) AS silent_failure_rate_lower,
    if(runs_with_outcome = 0, 1, least(1, (silent_failure_rate + 3.8414588206941254 / (2 * runs_with_outcome)
        + 1.959963984540054 * sqrt(silent_failure_rate * (1 - silent_failure_rate) / runs_with_outcome
        + 3.8414588206941254 / (4 * runs_with_outcome * runs_with_outcome)))
        / (1 + 3.8414588206941254 / runs_with_outcome))) AS silent_failure_rate_upper,
    if(judged_runs = 0, nan, judge_agreements / judged_runs) AS judge_agreement_rate,
    if(judged_runs = 0, 0, greatest(0, (judge_agreement_rate + 3.8414588206941254 / (2 * judged_runs)
        - 1.959963984540054 * sqrt(judge_agreement_rate * (1 - judge_agreement_rate) / judged_runs
        + 3.8414588206941254 / (4 * judged_runs * judged_runs)))
        / (1 + 3.8414588206941254 / judged_runs))) AS judge_agreement_rate_lower,
    if(judged_runs = 0, 1, least(1, (judge_agreement_rate + 3.8414588206941254 / (2 * judged_runs)
        + 1.959963984540054 * sqrt(judge_agreement_rate * (1 - judge_agreement_rate) / judged_runs
        + 3.8414588206941254 / (4 * judged_runs * judged_runs)))
        / (1 + 3.8414588206941254 / judged_runs))) AS judge_agreement_rate_upper
FROM outcome_reconciliations FINAL
WHERE effective AND mismatch != 'unmatched'
GROUP BY tenant, agent_name, hour;
