-- Records a pipeline could not process (agentwatch_dead_letters), without their payload bytes
-- (the topic keeps those): what failed, where, and why.
CREATE TABLE IF NOT EXISTS dead_letters (
    failed_at DateTime64(3, 'UTC'),
    stage LowCardinality(String),
    reason LowCardinality(String),
    detail String,
    source_topic LowCardinality(String),
    partition Int32,
    offset Int64,
    tenant LowCardinality(String),
    record_key String,
    value_bytes UInt64
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(failed_at)
ORDER BY (stage, reason, source_topic, partition, offset, failed_at);
