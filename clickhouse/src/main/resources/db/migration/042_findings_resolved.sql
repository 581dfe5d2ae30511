-- A finding whose condition no longer holds comes again with evidence state=resolved and a later
-- detected_at (the detectors resolve a run finding that a late step disproved: the root of an
-- "unfinished" run, the tool span a "missing" step waited for). Under FINAL it replaces the firing
-- row; `resolved` says which it is, so current findings are `findings FINAL WHERE NOT resolved`.
-- Computed at insert (and for older parts on read), so writers do not change.
ALTER TABLE findings ADD COLUMN IF NOT EXISTS resolved Bool MATERIALIZED evidence['state'] = 'resolved';
