-- What the detectors concluded, from topic agentwatch_findings (key = fingerprint). A fingerprint
-- names one condition (detector + tenant + run + step + rule, or agent + key + minute for
-- agent-level detectors) and is emitted once with fixed tenant, agent_name and event_time, so a
-- re-delivered finding has the same sort key and collapses under FINAL; the latest detection wins.
--   fingerprint     stable id (32 hex chars)
--   detector        step_budget | model_call_budget | loop | swallowed_error | missing_tool_step |
--                   unfinished_run | truncated_output | empty_output | tool_policy |
--                   latency_outlier | token_outlier | cost_outlier | error_rate_spike
--   severity        info | warning | error | critical
--   tenant, agent_name, agent_version, run_id (empty for agent-level findings),
--   step_id (empty for run-level findings), subject_id
--   summary         one line for a human, never prompt or completion text
--   event_time      event time of what was detected (a step's end, a run's end, a minute's end)
--   detected_at     processing time of the detection (time to detection = detected_at - event_time)
--   evidence        the numbers behind the call, e.g. {'steps': '14', 'budget': '10'}
--   labels          routing labels, e.g. {'service': 'claims-service'}
CREATE TABLE IF NOT EXISTS findings (
    fingerprint String,
    detector LowCardinality(String),
    severity LowCardinality(String),
    tenant LowCardinality(String),
    agent_name LowCardinality(String),
    agent_version LowCardinality(String),
    run_id String,
    step_id String,
    subject_id String,
    summary String,
    event_time DateTime64(9, 'UTC'),
    detected_at DateTime64(3, 'UTC'),
    evidence Map(String, String),
    labels Map(String, String),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_run run_id TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplacingMergeTree(detected_at)
PARTITION BY toYYYYMM(event_time)
ORDER BY (tenant, agent_name, toStartOfHour(event_time), fingerprint);
