-- Runs routed to a human, from topic agentwatch_run_reviews (detectors, package outcomes):
-- reason 'review' when the judge's confidence was under the review threshold, 'audit' when a
-- confident approval was drawn into the audit sample (hash of the run id, so the draw is the same
-- on every instance and after every restart). One row per run; a later run revision that routes
-- the run again replaces it (version = run_revision). A revision that no longer routes the run
-- does not withdraw an earlier row.
--   judge_confidence  distance of judge_score from the approval threshold, scaled to 0..1
--   decided_at        event time of the decision: when the run revision closed
CREATE TABLE IF NOT EXISTS run_reviews (
    tenant LowCardinality(String),
    agent_name LowCardinality(String),
    agent_version LowCardinality(String),
    run_id String,
    subject_id String,
    reason LowCardinality(String),
    judge_score Float64,
    judge_confidence Float64,
    run_revision UInt64,
    decided_at DateTime64(3, 'UTC'),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_decided decided_at TYPE minmax GRANULARITY 4
)
ENGINE = ReplacingMergeTree(run_revision)
ORDER BY (tenant, run_id);
