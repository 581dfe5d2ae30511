package dev.agentwatch.detectors.health;

import dev.agentwatch.model.PipelineMetric;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The detectors' readings in the Prometheus text exposition format 0.0.4, for {@code GET /metrics}:
 * reading {@code runs_closed}, reason {@code inactivity} is
 * {@code agentwatch_detectors_runs_closed_total{reason="inactivity"}}. Every reading is a counter
 * (cumulative since the instance started) except the gauges named here. Pure.
 */
final class PrometheusText {
    static final String PREFIX = "agentwatch_detectors_";
    static final Set<String> GAUGES = Set.of("consumer_lag");

    private PrometheusText() {
    }

    static String format(List<PipelineMetric> readings) {
        Map<String, StringBuilder> byMetric = new LinkedHashMap<>();
        for (PipelineMetric reading : readings) {
            boolean gauge = GAUGES.contains(reading.metric());
            // A character outside the format's name alphabet would make the whole scrape fail.
            String name = PREFIX + reading.metric().replaceAll("[^a-zA-Z0-9_]", "_") + (gauge ? "" : "_total");
            StringBuilder lines = byMetric.computeIfAbsent(name, n -> new StringBuilder()
                    .append("# TYPE ").append(n).append(gauge ? " gauge\n" : " counter\n"));
            lines.append(name);
            if (!reading.reason().isEmpty()) {
                lines.append("{reason=\"").append(escape(reading.reason())).append("\"}");
            }
            lines.append(' ').append(number(reading.value())).append('\n');
        }
        StringBuilder out = new StringBuilder();
        byMetric.values().forEach(out::append);
        return out.toString();
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
