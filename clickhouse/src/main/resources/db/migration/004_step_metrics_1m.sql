-- Per-step metrics per minute, from topic agentwatch_step_metrics, per (tenant, agent,
-- agent_version, kind, name, model). A minute is re-emitted as it fills up; its sample count only
-- grows, so ReplacingMergeTree(samples) keeps the whole minute: query with FINAL.
--   time                          start of the minute (event time of the steps' ends)
--   samples, errors               steps and failed steps
--   latency_p50_ms .. p99_ms, latency_max_ms  from an HdrHistogram sketch (2 significant digits)
--   latency_buckets_ms, latency_bucket_counts the sketch itself: merge minutes with
--     quantilesExactWeighted(0.5, 0.95, 0.99)(b.1, b.2) ... ARRAY JOIN
--     arrayZip(latency_buckets_ms, latency_bucket_counts) AS b
--   input_tokens, output_tokens, cost_usd     sums
CREATE TABLE IF NOT EXISTS step_metrics_1m (
    time DateTime('UTC'),
    tenant LowCardinality(String),
    agent_name LowCardinality(String),
    agent_version LowCardinality(String),
    kind LowCardinality(String),
    name String,
    model LowCardinality(String),
    samples UInt64,
    errors UInt64,
    latency_p50_ms Float64,
    latency_p95_ms Float64,
    latency_p99_ms Float64,
    latency_max_ms Float64,
    latency_buckets_ms Array(Float64),
    latency_bucket_counts Array(UInt64),
    input_tokens UInt64,
    output_tokens UInt64,
    cost_usd Float64
)
ENGINE = ReplacingMergeTree(samples)
PARTITION BY toYYYYMM(time)
ORDER BY (tenant, agent_name, time, agent_version, kind, name, model);
