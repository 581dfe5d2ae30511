-- One row per run revision, from topic agentwatch_runs. A run is one trace, summarized when its
-- root span ends or, without a root, after the inactivity gap (status 'unfinished'). Late spans
-- re-emit the run with revision + 1: ReplacingMergeTree(revision) keeps the latest revision, so
-- exact queries use FINAL. The sort key holds only what never changes between revisions (a late
-- root can change agent_name and start_time), so every revision of a run collapses into one row.
--   tenant, run_id          identity (run_id = trace id, lowercase hex)
--   service                 service.name of the root (or first) span
--   agent_name, agent_version  from the root, else the first step naming them
--   models                  distinct models of LLM steps, first use first
--   root_step_id, root_name empty when no root arrived
--   start_time, end_time    earliest step start, latest step end; duration_ms = end - start
--   status                  ok | error (root span status) | unfinished (no root in time)
--   steps, llm_calls, tool_calls, errors, retries, handoffs  counts over the run's spans
--   input_tokens, output_tokens, cost_usd  sums over LLM and embedding steps only
--   path                    step names in start order (first 64)
--   subject_id, claimed_outcome, conversation_id  run-wide business context, empty when none
--   judge_score (NaN when none), judge_label  latest LLM-as-judge verdict on the run
--   late_steps              spans that arrived after the run first closed
--   revision                0 at first close, +1 per re-emission
--   closed_at               event time at which the run closed
CREATE TABLE IF NOT EXISTS runs (
    tenant LowCardinality(String),
    run_id String,
    service LowCardinality(String),
    agent_name LowCardinality(String),
    agent_version LowCardinality(String),
    models Array(LowCardinality(String)),
    root_step_id String,
    root_name String,
    start_time DateTime64(9, 'UTC'),
    end_time DateTime64(9, 'UTC'),
    duration_ms Float64,
    status LowCardinality(String),
    steps UInt32,
    llm_calls UInt32,
    tool_calls UInt32,
    errors UInt32,
    retries UInt32,
    handoffs UInt32,
    input_tokens UInt64,
    output_tokens UInt64,
    cost_usd Float64,
    path Array(String),
    subject_id String,
    claimed_outcome LowCardinality(String),
    conversation_id String,
    judge_score Float64,
    judge_label LowCardinality(String),
    late_steps UInt32,
    revision UInt32,
    closed_at DateTime64(3, 'UTC'),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_start_time start_time TYPE minmax GRANULARITY 4,
    INDEX idx_agent agent_name TYPE set(256) GRANULARITY 4,
    INDEX idx_subject subject_id TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplacingMergeTree(revision)
ORDER BY (tenant, run_id);
