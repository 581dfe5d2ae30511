#!/usr/bin/env python3
"""Writes the Grafana dashboards in grafana/ from this one description.

Edit the panels here and run `python3 dashboards/generate.py`; commit both. The JSON files are
what Grafana provisions and what the tests (DashboardModelTest, PanelQueriesIT) check: every
panel's SQL runs against the real schema with the plugin's macros expanded.
"""
import json
import os

DS = {"type": "grafana-clickhouse-datasource", "uid": "agentwatch-ch"}
SCHEMA_VERSION = 39
HERE = os.path.dirname(os.path.abspath(__file__))

TENANT = "tenant IN (${tenant:singlequote})"
AGENT = "$__conditionalAll(agent_name IN (${agent:singlequote}), $agent)"
VERSION = "$__conditionalAll(agent_version IN (${agent_version:singlequote}), $agent_version)"
FILTERS = f"{TENANT} AND {AGENT} AND {VERSION}"


def var_query(name, label, sql, multi=True, include_all=True):
    return {
        "name": name, "label": label, "type": "query", "datasource": DS,
        "query": {"editorType": "sql", "rawSql": sql}, "definition": sql,
        "refresh": 2, "multi": multi, "includeAll": include_all, "allValue": "$__all" if include_all else None,
        "current": {}, "options": [], "sort": 1, "hide": 0,
    }


def common_vars(agent_multi=True):
    return [
        var_query("tenant", "Tenant", "SELECT DISTINCT tenant FROM runs ORDER BY tenant", multi=False, include_all=False),
        var_query("agent", "Agent", "SELECT DISTINCT agent_name FROM runs WHERE tenant IN (${tenant:singlequote}) "
                  "AND agent_name != '' ORDER BY agent_name", multi=agent_multi, include_all=agent_multi),
        var_query("agent_version", "Agent version", "SELECT DISTINCT agent_version FROM runs WHERE "
                  f"tenant IN (${{tenant:singlequote}}) AND {AGENT} ORDER BY agent_version"),
    ]


class Board:
    def __init__(self, uid, title, description, variables, tags=()):
        self.uid, self.title, self.description = uid, title, description
        self.variables = variables
        self.tags = ["agentwatch", *tags]
        self.panels = []
        self.x = self.y = self.row_h = 0

    def add(self, kind, title, sql, w=12, h=8, unit=None, fmt=None, description="", options=None,
            field=None, links=None, thresholds=None, overrides=None, transformations=None, interval=None):
        if self.x + w > 24:
            self.x, self.y = 0, self.y + self.row_h
            self.row_h = 0
        table_like = kind in ("table", "stat", "barchart", "bargauge", "piechart", "gauge")
        target = {
            "refId": "A", "datasource": DS, "editorType": "sql", "rawSql": sql.strip(),
            "format": fmt if fmt is not None else (1 if table_like else 0),
            "queryType": "table" if table_like else "timeseries",
        }
        defaults = {}
        if unit:
            defaults["unit"] = unit
        if thresholds:
            defaults["thresholds"] = {"mode": "absolute", "steps": thresholds}
        if links:
            defaults["links"] = links
        if field:
            defaults.update(field)
        panel = {
            "id": len(self.panels) + 1, "type": kind, "title": title, "description": description,
            "datasource": DS, "gridPos": {"x": self.x, "y": self.y, "w": w, "h": h},
            "targets": [target], "fieldConfig": {"defaults": defaults, "overrides": overrides or []},
            "options": options or {},
        }
        if transformations:
            panel["transformations"] = transformations
        if interval:
            panel["interval"] = interval
        self.panels.append(panel)
        self.x += w
        self.row_h = max(self.row_h, h)
        if self.x >= 24:
            self.x, self.y, self.row_h = 0, self.y + self.row_h, 0
        return panel

    def add_counter(self, title, series, where, description=""):
        """A time series of pipeline_metrics counters per minute (see counter_per_minute)."""
        return self.add("timeseries", title, counter_per_minute(series, where), unit="short",
                        interval=COUNTER_INTERVAL, description=description)

    def json(self):
        return {
            "id": None, "uid": self.uid, "title": self.title, "description": self.description,
            "tags": self.tags, "timezone": "utc", "editable": False, "graphTooltip": 1,
            "time": {"from": "now-6h", "to": "now"}, "refresh": "30s",
            "schemaVersion": SCHEMA_VERSION, "version": 1,
            "templating": {"list": self.variables}, "annotations": {"list": []},
            "links": [{"title": "agentwatch", "type": "dashboards", "tags": ["agentwatch"], "asDropdown": True}],
            "panels": self.panels,
        }


PCT = [{"color": "green", "value": None}]
RED_ABOVE = lambda v: [{"color": "green", "value": None}, {"color": "red", "value": v}]
RUN_LINK = [{"title": "Open run ${__data.fields.run_id}", "url":
             "/d/agentwatch-agent/agentwatch-agent?var-tenant=${tenant}&var-agent=${__data.fields.agent_name}"
             "&var-run_id=${__data.fields.run_id}&${__url_time_range}"}]


def overview():
    b = Board("agentwatch-overview", "agentwatch — Overview",
              "Fleet health at a glance: volume, success, hand-offs, silent failures, cost, latency, findings.",
              common_vars())
    b.add("timeseries", "Runs per minute", f"""
SELECT $__timeInterval(start_time) AS time, agent_name, count() * 60 / $__interval_s AS runs_per_minute
FROM runs FINAL
WHERE $__timeFilter(start_time) AND {FILTERS}
GROUP BY time, agent_name ORDER BY time""", unit="short")
    b.add("stat", "Success rate", f"""
SELECT countIf(status = 'ok') / greatest(count(), 1) AS success_rate
FROM runs FINAL WHERE $__timeFilter(start_time) AND {FILTERS}""", w=4, unit="percentunit",
          thresholds=[{"color": "red", "value": None}, {"color": "orange", "value": 0.9}, {"color": "green", "value": 0.97}])
    b.add("stat", "Hand-off rate", f"""
SELECT countIf(handoffs > 0) / greatest(count(), 1) AS handoff_rate
FROM runs FINAL WHERE $__timeFilter(start_time) AND {FILTERS}""", w=4, unit="percentunit")
    b.add("stat", "Silent-failure rate", f"""
SELECT countIf(mismatch = 'silent_failure') / greatest(countIf(truth != 'undetermined'), 1) AS silent_failure_rate
FROM outcome_reconciliations FINAL
WHERE effective AND mismatch != 'unmatched' AND $__timeFilter(run_closed_at) AND {FILTERS}""", w=4,
          unit="percentunit", thresholds=RED_ABOVE(0.02),
          description="Runs whose delayed outcome contradicted a claimed success, over runs with an outcome.")
    b.add("timeseries", "Cost per hour (USD)", f"""
SELECT $__timeInterval(start_time) AS time, agent_name, sum(cost_usd) * 3600 / $__interval_s AS usd_per_hour
FROM runs FINAL
WHERE $__timeFilter(start_time) AND {FILTERS}
GROUP BY time, agent_name ORDER BY time""", unit="currencyUSD")
    b.add("timeseries", "p95 step latency by kind", f"""
SELECT $__timeInterval(start_time) AS time, kind, quantile(0.95)(duration_ms) AS p95_ms
FROM steps
WHERE $__timeFilter(start_time) AND {FILTERS}
GROUP BY time, kind ORDER BY time""", unit="ms")
    b.add("barchart", "Findings by severity in the time range", f"""
SELECT severity, count() AS findings
FROM findings FINAL
WHERE NOT resolved AND $__timeFilter(event_time) AND {FILTERS}
GROUP BY severity ORDER BY indexOf(['critical', 'error', 'warning', 'info'], severity)""", w=8,
          options={"orientation": "horizontal", "xField": "severity"},
          description="Current findings: those a late span disproved (resolved) are left out. Whether one still "
                      "pages is the alert notifier's business (resolve_timeout, silences).")
    b.add("timeseries", "Findings per detector", f"""
SELECT $__timeInterval(event_time) AS time, detector, count() AS findings
FROM findings FINAL
WHERE NOT resolved AND $__timeFilter(event_time) AND {FILTERS}
GROUP BY time, detector ORDER BY time""", w=16, unit="short",
          field={"custom": {"drawStyle": "bars", "stacking": {"mode": "normal"}}})
    return b


def agent():
    b = Board("agentwatch-agent", "agentwatch — Agent",
              "One agent's steps: latency, tokens and cost per step, budgets, errors, workflow paths, and one run's detail.",
              common_vars(agent_multi=False) + [{
                  "name": "run_id", "label": "Run id", "type": "textbox", "query": "", "current": {"value": ""},
                  "hide": 0}])
    b.add("heatmap", "Step latency heatmap", f"""
SELECT $__timeInterval(start_time) AS time,
       countIf(duration_ms < 10) AS "10", countIf(duration_ms >= 10 AND duration_ms < 50) AS "50",
       countIf(duration_ms >= 50 AND duration_ms < 100) AS "100", countIf(duration_ms >= 100 AND duration_ms < 250) AS "250",
       countIf(duration_ms >= 250 AND duration_ms < 500) AS "500", countIf(duration_ms >= 500 AND duration_ms < 1000) AS "1000",
       countIf(duration_ms >= 1000 AND duration_ms < 2500) AS "2500", countIf(duration_ms >= 2500 AND duration_ms < 5000) AS "5000",
       countIf(duration_ms >= 5000 AND duration_ms < 10000) AS "10000", countIf(duration_ms >= 10000) AS "+Inf"
FROM steps
WHERE $__timeFilter(start_time) AND {FILTERS}
GROUP BY time ORDER BY time""", unit="short",
          options={"calculate": False, "yAxis": {"unit": "ms"}, "cellGap": 1, "color": {"scheme": "Oranges"}},
          description="Steps per latency bucket (upper bound in ms) over time.")
    b.add("timeseries", "Step latency p50 / p95 / p99 by step", f"""
SELECT time, concat(name, ' p', p) AS series, value FROM (
  SELECT time, name, ['50', '95', '99'] AS ps,
         [sum(latency_p50_ms * samples) / sum(samples), sum(latency_p95_ms * samples) / sum(samples),
          sum(latency_p99_ms * samples) / sum(samples)] AS vs
  FROM step_metrics_1m FINAL
  WHERE $__timeFilter(time) AND {FILTERS}
  GROUP BY time, name
) ARRAY JOIN ps AS p, vs AS value
ORDER BY time""", unit="ms", description="Per-minute sketch percentiles, averaged across versions and models by sample count.")
    b.add("table", "Tokens and cost per step", f"""
SELECT kind, name, model, count() AS steps, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
       round(sum(cost_usd), 4) AS cost_usd, round(avg(duration_ms), 1) AS avg_ms
FROM steps
WHERE $__timeFilter(start_time) AND {FILTERS}
GROUP BY kind, name, model ORDER BY cost_usd DESC, steps DESC LIMIT 50""",
          overrides=[{"matcher": {"id": "byName", "options": "cost_usd"}, "properties": [{"id": "unit", "value": "currencyUSD"}]}])
    for title, column, label, detector in (
            ("Steps per run against the step budget", "steps", "steps_per_run", "step_budget"),
            ("Model calls per run against the model-call budget", "llm_calls", "model_calls_per_run", "model_call_budget")):
        # Over budget = the run got a budget finding, so per-agent budgets colour the bars right.
        b.add("barchart", title, f"""
WITH over AS (SELECT run_id FROM findings FINAL
              WHERE NOT resolved AND detector = '{detector}' AND $__timeFilter(event_time) AND {TENANT})
SELECT toString(least({column}, 30)) AS {label},
       countIf(run_id NOT IN over) AS within_budget, countIf(run_id IN over) AS over_budget
FROM runs FINAL
WHERE $__timeFilter(start_time) AND {FILTERS}
GROUP BY least({column}, 30) AS n, {label} ORDER BY n""", w=8,
              options={"xField": label, "stacking": "normal", "legend": {"showLegend": True, "displayMode": "list"}},
              description=f"Runs by {column.replace('_', ' ')} (30 = 30 or more); red: the run got a {detector} finding "
                          "(budget 10 by default, per agent in detectors.budget.agents).",
              overrides=[{"matcher": {"id": "byName", "options": name},
                          "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": colour}}]}
                         for name, colour in (("within_budget", "green"), ("over_budget", "red"))])
    b.add("timeseries", "Step error rate", f"""
SELECT $__timeInterval(start_time) AS time, kind, countIf(status = 'error') / count() AS error_rate
FROM steps
WHERE $__timeFilter(start_time) AND {FILTERS}
GROUP BY time, kind ORDER BY time""", w=8, unit="percentunit")
    b.add("table", "Workflow paths", f"""
SELECT arrayStringConcat(path, ' → ') AS workflow_path, count() AS runs,
       round(countIf(status != 'ok') / count(), 3) AS failure_share, round(avg(duration_ms)) AS avg_ms,
       round(avg(cost_usd), 5) AS avg_cost_usd
FROM runs FINAL WHERE $__timeFilter(start_time) AND {FILTERS}
GROUP BY workflow_path ORDER BY runs DESC LIMIT 25""", w=24,
          overrides=[{"matcher": {"id": "byName", "options": "failure_share"}, "properties": [{"id": "unit", "value": "percentunit"}]}])
    b.add("table", "Run detail: steps of ${run_id}", """
SELECT start_time, kind, name, model, status, round(duration_ms, 1) AS duration_ms, input_tokens, output_tokens,
       error_type, step_id, parent_step_id
FROM steps FINAL
WHERE tenant IN (${tenant:singlequote}) AND run_id = '${run_id}'
ORDER BY start_time""", w=14, h=10, description="Set the Run id variable, or follow a link from a findings table.")
    b.add("table", "Run detail: findings of ${run_id}", """
SELECT detected_at, detector, severity, summary, step_id, if(resolved, 'resolved', 'firing') AS state
FROM findings FINAL
WHERE tenant IN (${tenant:singlequote}) AND run_id = '${run_id}'
ORDER BY detected_at""", w=10, h=10)
    return b


def outcomes():
    b = Board("agentwatch-outcomes", "agentwatch — Silent failures & outcomes",
              "Delayed ground truth joined back to runs: silent failures, judge quality, overdue outcomes, review and audit.",
              common_vars())
    b.add("timeseries", "Silent-failure rate with 95% confidence band", f"""
SELECT hour AS time, agent_name, silent_failure_rate AS rate, silent_failure_rate_lower AS lower_95,
       silent_failure_rate_upper AS upper_95
FROM outcome_rates_agent_1h
WHERE hour >= toStartOfHour($__fromTime) AND hour <= $__toTime AND {TENANT} AND {AGENT} AND runs_with_outcome > 0
ORDER BY time""", unit="percentunit",
          overrides=[{"matcher": {"id": "byRegexp", "options": ".*(lower|upper).*"},
                      "properties": [{"id": "custom.lineStyle", "value": {"fill": "dash", "dash": [4, 4]}},
                                     {"id": "custom.fillOpacity", "value": 5}]}],
          description="Mismatches over runs with an outcome, per hour of run close, with Wilson score bounds.")
    b.add("timeseries", "Judge–human agreement", f"""
SELECT hour AS time, agent_name, judge_agreement_rate AS agreement, judge_agreement_rate_lower AS lower_95,
       judge_agreement_rate_upper AS upper_95
FROM outcome_rates_agent_1h
WHERE hour >= toStartOfHour($__fromTime) AND hour <= $__toTime AND {TENANT} AND {AGENT} AND judged_runs > 0
ORDER BY time""", unit="percentunit")
    b.add("stat", "Overdue outcomes", f"""
SELECT count() AS overdue FROM findings FINAL
WHERE NOT resolved AND detector = 'outcome_overdue' AND $__timeFilter(event_time) AND {FILTERS}""", w=6, thresholds=RED_ABOVE(1))
    b.add("stat", "Judge false approvals", f"""
SELECT count() AS false_approvals FROM findings FINAL
WHERE NOT resolved AND detector = 'judge_false_approval' AND $__timeFilter(event_time) AND {FILTERS}""", w=6, thresholds=RED_ABOVE(1))
    b.add("timeseries", "Runs marked for review and audit", f"""
SELECT $__timeInterval(decided_at) AS time, reason, count() AS runs
FROM run_reviews FINAL
WHERE $__timeFilter(decided_at) AND {FILTERS}
GROUP BY time, reason ORDER BY time""", unit="short", field={"custom": {"drawStyle": "bars", "stacking": {"mode": "normal"}}})
    b.add("table", "Latest silent failures and where to look first", f"""
SELECT f.detected_at AS detected_at, f.agent_name AS agent_name, f.agent_version AS agent_version, f.run_id AS run_id,
       f.subject_id AS subject_id, f.summary AS summary,
       arrayStringConcat(o.other_findings, ', ') AS other_findings_on_run
FROM (SELECT * FROM findings FINAL
      WHERE NOT resolved AND detector = 'silent_failure' AND $__timeFilter(event_time) AND {FILTERS}) AS f
LEFT JOIN (SELECT run_id, groupUniqArray(detector) AS other_findings FROM findings FINAL
           WHERE NOT resolved AND detector != 'silent_failure' AND {TENANT} GROUP BY run_id) AS o ON o.run_id = f.run_id
ORDER BY detected_at DESC LIMIT 100""", w=24, h=10, links=RUN_LINK)
    return b


def findings():
    b = Board("agentwatch-findings", "agentwatch — Findings",
              "What the detectors concluded, by detector and severity, and the latest findings with links to their runs.",
              common_vars())
    b.add("timeseries", "Findings by detector", f"""
SELECT $__timeInterval(event_time) AS time, detector, count() AS findings
FROM findings FINAL WHERE NOT resolved AND $__timeFilter(event_time) AND {FILTERS}
GROUP BY time, detector ORDER BY time""", unit="short", field={"custom": {"drawStyle": "bars", "stacking": {"mode": "normal"}}})
    b.add("timeseries", "Findings by severity", f"""
SELECT $__timeInterval(event_time) AS time, severity, count() AS findings
FROM findings FINAL WHERE NOT resolved AND $__timeFilter(event_time) AND {FILTERS}
GROUP BY time, severity ORDER BY time""", unit="short",
          overrides=[{"matcher": {"id": "byName", "options": n}, "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": c}}]}
                     for n, c in (("critical", "dark-red"), ("error", "red"), ("warning", "orange"), ("info", "blue"))])
    b.add("bargauge", "Findings per detector (range)", f"""
SELECT detector, count() AS findings FROM findings FINAL
WHERE NOT resolved AND $__timeFilter(event_time) AND {FILTERS}
GROUP BY detector ORDER BY findings DESC""", w=8, h=10, options={"orientation": "horizontal", "displayMode": "basic"})
    b.add("table", "Latest findings", f"""
SELECT detected_at, severity, detector, agent_name, agent_version, run_id, step_id, subject_id, summary
FROM findings FINAL
WHERE NOT resolved AND $__timeFilter(event_time) AND {FILTERS}
ORDER BY detected_at DESC LIMIT 200""", w=16, h=10, links=RUN_LINK)
    return b


def versions():
    b = Board("agentwatch-versions", "agentwatch — Versions",
              "Before/after comparison across agent versions and models: errors, cost, latency, judge score, silent failures.",
              common_vars())
    b.add("table", "By agent version", f"""
SELECT r.agent_version AS agent_version, r.runs AS runs, r.error_rate AS error_rate, r.cost_per_run AS cost_per_run_usd,
       r.p95_ms AS p95_run_ms, r.judge_score AS avg_judge_score, o.silent_failure_rate AS silent_failure_rate,
       o.runs_with_outcome AS runs_with_outcome
FROM (SELECT agent_version, count() AS runs, round(countIf(status != 'ok') / count(), 4) AS error_rate,
             round(avg(cost_usd), 5) AS cost_per_run, round(quantile(0.95)(duration_ms)) AS p95_ms,
             round(avgIf(judge_score, NOT isNaN(judge_score)), 3) AS judge_score
      FROM runs FINAL WHERE $__timeFilter(start_time) AND {FILTERS} GROUP BY agent_version) AS r
LEFT JOIN (SELECT agent_version, countIf(truth != 'undetermined') AS runs_with_outcome,
                  round(countIf(mismatch = 'silent_failure') / greatest(countIf(truth != 'undetermined'), 1), 4) AS silent_failure_rate
           FROM outcome_reconciliations FINAL
           WHERE effective AND mismatch != 'unmatched' AND $__timeFilter(run_closed_at) AND {FILTERS}
           GROUP BY agent_version) AS o ON o.agent_version = r.agent_version
ORDER BY agent_version""", w=24,
          overrides=[{"matcher": {"id": "byRegexp", "options": ".*rate"}, "properties": [{"id": "unit", "value": "percentunit"}]}])
    b.add("timeseries", "Error rate by version", f"""
SELECT $__timeInterval(start_time) AS time, agent_version, countIf(status != 'ok') / count() AS error_rate
FROM runs FINAL WHERE $__timeFilter(start_time) AND {FILTERS}
GROUP BY time, agent_version ORDER BY time""", w=8, unit="percentunit")
    b.add("timeseries", "Cost per run by version", f"""
SELECT $__timeInterval(start_time) AS time, agent_version, avg(cost_usd) AS cost_per_run
FROM runs FINAL WHERE $__timeFilter(start_time) AND {FILTERS}
GROUP BY time, agent_version ORDER BY time""", w=8, unit="currencyUSD")
    b.add("timeseries", "Judge score by version", f"""
SELECT $__timeInterval(start_time) AS time, agent_version, avgIf(judge_score, NOT isNaN(judge_score)) AS judge_score
FROM runs FINAL WHERE $__timeFilter(start_time) AND {FILTERS}
GROUP BY time, agent_version ORDER BY time""", w=8)
    b.add("timeseries", "Silent-failure rate by version", f"""
SELECT hour AS time, agent_version, silent_failure_rate
FROM outcome_rates_1h
WHERE hour >= toStartOfHour($__fromTime) AND hour <= $__toTime AND {FILTERS} AND runs_with_outcome > 0
ORDER BY time""", w=12, unit="percentunit")
    b.add("table", "By model", f"""
SELECT model, count() AS calls, round(countIf(status = 'error') / count(), 4) AS error_rate,
       round(quantile(0.95)(duration_ms)) AS p95_ms, round(avg(input_tokens + output_tokens)) AS avg_tokens,
       round(sum(cost_usd), 4) AS cost_usd
FROM steps
WHERE kind = 'llm' AND $__timeFilter(start_time) AND {FILTERS}
GROUP BY model ORDER BY calls DESC""", w=12,
          overrides=[{"matcher": {"id": "byName", "options": "error_rate"}, "properties": [{"id": "unit", "value": "percentunit"}]}])
    b.add("table", "Runs by model: judge score and silent failures", f"""
SELECT r.model AS model, count() AS runs, round(countIf(r.status != 'ok') / count(), 4) AS error_rate,
       round(avgIf(r.judge_score, NOT isNaN(r.judge_score)), 3) AS avg_judge_score,
       countIf(o.truth NOT IN ('', 'undetermined')) AS runs_with_outcome,
       round(countIf(o.mismatch = 'silent_failure') / greatest(runs_with_outcome, 1), 4) AS silent_failure_rate
FROM (SELECT tenant, run_id, status, judge_score, arrayJoin(models) AS model
      FROM runs FINAL WHERE $__timeFilter(start_time) AND {FILTERS}) AS r
LEFT JOIN (SELECT tenant, run_id, truth, mismatch FROM outcome_reconciliations FINAL
           WHERE effective AND mismatch != 'unmatched' AND {TENANT}) AS o ON o.tenant = r.tenant AND o.run_id = r.run_id
GROUP BY model ORDER BY runs DESC""", w=24,
          description="A run counts for every model it called: a model rollout that raises wrong decisions shows here "
                      "as its delayed outcomes arrive.",
          overrides=[{"matcher": {"id": "byRegexp", "options": ".*rate"}, "properties": [{"id": "unit", "value": "percentunit"}]}])
    return b


# Counters are read every 10 s: buckets of a minute or more hold several readings each, so
# per-minute rates do not jump between buckets with and without a reading.
COUNTER_INTERVAL = "1m"


def counter_per_minute(series, where):
    """Per-minute increase of cumulative pipeline_metrics counters, summed over instances. The
    increase is taken reading to reading, so a restart (the counter drops to near zero) counts
    from zero instead of showing the whole cumulative count as a spike; the first reading of each
    series in the range counts nothing."""
    return f"""
SELECT $__timeInterval(time) AS time, {series} AS series, sum(increase) * 60 / $__interval_s AS per_minute FROM (
  SELECT time, component, metric, reason, value - lagInFrame(value, 1, value) OVER w AS delta,
         if(delta < 0, value, delta) AS increase
  FROM pipeline_metrics
  WHERE $__timeFilter(time) AND {where}
  WINDOW w AS (PARTITION BY component, metric, reason, instance ORDER BY time ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
) GROUP BY time, series ORDER BY time"""


def pipeline():
    tenant_only = [common_vars()[0]]
    b = Board("agentwatch-pipeline", "agentwatch — Pipeline health",
              "agentwatch itself: ingest rate, rejected spans by reason, dead letters, consumer lag, sink retries, runs closed, "
              "findings emitted and resolved, detector failures.",
              tenant_only)
    b.add("timeseries", "Ingest rate (steps stored per second)", """
SELECT $__timeInterval(ingested_at) AS time, count() / $__interval_s AS steps_per_second
FROM steps WHERE $__timeFilter(ingested_at) AND tenant IN (${tenant:singlequote})
GROUP BY time ORDER BY time""", unit="short")
    b.add_counter("Rejected spans and requests by reason (per minute)", "concat(metric, ' ', reason)",
                  "component = 'collector' AND metric IN ('spans_rejected', 'requests_rejected')")
    b.add("timeseries", "Dead letters by stage and reason", """
SELECT $__timeInterval(failed_at) AS time, concat(stage, ' ', reason) AS series, count() AS dead_letters
FROM dead_letters WHERE $__timeFilter(failed_at)
GROUP BY time, series ORDER BY time""", unit="short", field={"custom": {"drawStyle": "bars", "stacking": {"mode": "normal"}}})
    b.add("timeseries", "Consumer lag (records)", """
SELECT $__timeInterval(time) AS time, reason AS consumer_group, max(value) AS lag
FROM pipeline_metrics
WHERE $__timeFilter(time) AND metric = 'consumer_lag'
GROUP BY time, consumer_group ORDER BY time""", unit="short")
    b.add_counter("ClickHouse sink retries and restarts (per minute)", "concat(replaceOne(metric, 'sink_', ''), ' ', reason)",
                  "component = 'detectors' AND metric IN ('sink_retries', 'sink_restarts')")
    b.add_counter("Runs closed, and steps late, repeated or past a run's caps (per minute)", "concat(metric, ' ', reason)",
                  "component = 'detectors' AND metric IN ('runs_closed', 'runs_revised', 'steps_late', "
                  "'steps_duplicate', 'steps_not_kept')",
                  description="runs_closed by why (root_ended, inactivity: a rise in inactivity means unfinished runs or a "
                              "gap too short for an agent); steps_not_kept: steps of runaway runs counted but not kept for "
                              "the run's detectors.")
    b.add_counter("Findings emitted, resolved, past a run's cap, and not kept to resolve (per minute, by detector or cap)",
                  "concat(metric, ' ', reason)",
                  "component = 'detectors' AND metric IN ('findings_emitted', 'findings_resolved', "
                  "'findings_past_run_cap', 'findings_not_kept')",
                  description="findings_resolved: run findings a late span disproved (an unfinished run's root, a missing "
                              "tool span, a successful retry); findings_past_run_cap: findings past a run's caps (100 of "
                              "one detector, 1,000 in all), not emitted (counted at each inspection of the run); findings_not_kept: "
                              "findings past a run's caps (32, 4 KiB each) that could not be resolved if disproved.")
    b.add_counter("Detector failures (per minute, by detector)", "reason",
                  "component = 'detectors' AND metric = 'detector_failed'",
                  description="A detector that throws on a run is skipped for that run and counted here (the log has the "
                              "run id and the error); the other detectors still run. Anything above zero is a bug to report.")
    b.add("table", "Latest dead letters", """
SELECT failed_at, stage, reason, source_topic, partition, offset, tenant, detail
FROM dead_letters WHERE $__timeFilter(failed_at)
ORDER BY failed_at DESC LIMIT 100""")
    return b


def main():
    out = os.path.join(HERE, "grafana")
    os.makedirs(out, exist_ok=True)
    for board in (overview(), agent(), outcomes(), findings(), versions(), pipeline()):
        with open(os.path.join(out, board.uid.replace("agentwatch-", "") + ".json"), "w") as f:
            json.dump(board.json(), f, indent=2, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
