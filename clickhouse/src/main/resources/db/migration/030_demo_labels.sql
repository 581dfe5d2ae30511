-- One row per run the demo fleet emitted: what was injected ('none' for a clean run), so a
-- report or a dashboard can join labels with findings by run id. Written by the demo module;
-- a re-written label (retry, restart) collapses under FINAL.
--   fleet_id           the fleet instance that emitted the run
--   failure            swallowed_tool_error | loop | step_budget_overrun | unfinished_run |
--                      latency_spike | cost_spike | truncated_output | policy_violation |
--                      missing_step | model_rollout_regression | wrong_decision | none
--   expected_detectors detectors whose finding on this run counts as detecting the failure
--   sim_start, sim_end simulated event time of the run (the fleet compresses time)
--   emitted_at         wall-clock time the run was handed to the exporter (time to detection)
CREATE TABLE IF NOT EXISTS demo_labels (
    tenant LowCardinality(String),
    fleet_id LowCardinality(String),
    run_id String,
    run_index UInt64,
    subject_id String,
    agent_name LowCardinality(String),
    agent_version LowCardinality(String),
    decision_model LowCardinality(String),
    failure LowCardinality(String),
    detail String,
    expected_detectors Array(String),
    finished Bool,
    sim_start DateTime64(9, 'UTC'),
    sim_end DateTime64(9, 'UTC'),
    emitted_at DateTime64(3, 'UTC'),
    claimed_outcome LowCardinality(String),
    judge_score Float64,
    truth_verdict LowCardinality(String),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
ORDER BY (tenant, fleet_id, run_id);
