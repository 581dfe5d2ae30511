-- agentwatch's own health readings (agentwatch_pipeline_metrics), one row per reading.
-- Counters are cumulative per instance since it started: charts add up the increases from one
-- reading to the next, a drop being a restart (dashboards/generate.py, counter_per_minute). Kept
-- 30 days.
CREATE TABLE IF NOT EXISTS pipeline_metrics (
    time DateTime64(3, 'UTC'),
    component LowCardinality(String),
    instance LowCardinality(String),
    metric LowCardinality(String),
    reason LowCardinality(String),
    value Float64
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMMDD(time)
ORDER BY (component, metric, reason, instance, time)
TTL toDateTime(time) + INTERVAL 30 DAY;
