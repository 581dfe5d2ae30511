-- Per-agent run metrics per minute (runs by the minute their last step ended), from topic
-- agentwatch_agent_metrics. Re-emitted as the minute fills; ReplacingMergeTree(runs) keeps the
-- whole minute: query with FINAL. Only first revisions of runs are counted.
--   time                             start of the minute
--   runs, ok_runs, error_runs, unfinished_runs  by status (ok + error + unfinished = runs)
--   runs_with_failed_steps, handoff_runs         runs with a failed step, with a hand-off
--   success_rate, handoff_rate                   ok_runs / runs, handoff_runs / runs
--   steps_per_run, steps_per_run_counts          distribution: distinct values and runs per value
--   model_calls_per_run, model_calls_per_run_counts  likewise for LLM calls
--   duration_p50_ms, duration_p95_ms             run durations
--   input_tokens, output_tokens, cost_usd        sums over the runs
CREATE TABLE IF NOT EXISTS agent_metrics_1m (
    time DateTime('UTC'),
    tenant LowCardinality(String),
    agent_name LowCardinality(String),
    agent_version LowCardinality(String),
    runs UInt64,
    ok_runs UInt64,
    error_runs UInt64,
    unfinished_runs UInt64,
    runs_with_failed_steps UInt64,
    handoff_runs UInt64,
    success_rate Float64,
    handoff_rate Float64,
    steps_per_run Array(UInt64),
    steps_per_run_counts Array(UInt64),
    model_calls_per_run Array(UInt64),
    model_calls_per_run_counts Array(UInt64),
    duration_p50_ms Float64,
    duration_p95_ms Float64,
    input_tokens UInt64,
    output_tokens UInt64,
    cost_usd Float64
)
ENGINE = ReplacingMergeTree(runs)
PARTITION BY toYYYYMM(time)
ORDER BY (tenant, agent_name, time, agent_version);
