package dev.agentwatch.dashboards;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands a panel's SQL the way Grafana and the grafana-clickhouse-datasource plugin do before the
 * query reaches ClickHouse: template variables first (Grafana), then {@code $__conditionalAll}
 * (the plugin's frontend), then the backend macros, exactly as FORMATS.md §7.4 documents them.
 * Unknown {@code $__} macros are left unchanged, as the plugin does, so ClickHouse rejects them.
 *
 * @param fromEpochMillis dashboard time range start
 * @param toEpochMillis   dashboard time range end
 * @param intervalSeconds the panel interval ({@code $__interval_s}, at least 1)
 * @param variables       template variable values; the value {@code $__all} means "All"
 */
record GrafanaMacros(long fromEpochMillis, long toEpochMillis, long intervalSeconds, Map<String, List<String>> variables) {
    static final String ALL = "$__all";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::([A-Za-z]+))?}|\\$([A-Za-z][A-Za-z0-9_]*)");
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    GrafanaMacros {
        if (intervalSeconds < 1) {
            intervalSeconds = 1;
        }
        variables = Map.copyOf(variables);
    }

    String expand(String sql) {
        String withConditionals = expandConditionalAll(sql);
        String withVariables = substituteVariables(withConditionals);
        return expandMacros(withVariables);
    }

    private String expandConditionalAll(String sql) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        int found;
        while ((found = sql.indexOf("$__conditionalAll(", at)) >= 0) {
            out.append(sql, at, found);
            List<String> args = new ArrayList<>();
            int end = arguments(sql, found + "$__conditionalAll(".length(), args);
            String variable = args.get(args.size() - 1).strip().replaceAll("^\\$\\{?|}$", "");
            List<String> values = variables.getOrDefault(variable, List.of());
            boolean all = values.isEmpty() || values.contains(ALL);
            out.append(all ? "1=1" : String.join(",", args.subList(0, args.size() - 1)).strip());
            at = end;
        }
        out.append(sql.substring(at));
        return out.toString();
    }

    private String substituteVariables(String sql) {
        Matcher matcher = VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(3);
            String format = matcher.group(2);
            if (name.startsWith("__") || !variables.containsKey(name)) {
                matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group()));
                continue;
            }
            List<String> values = variables.get(name);
            String replacement = "singlequote".equals(format)
                    ? String.join(",", values.stream().map(v -> "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'").toList())
                    : String.join(",", values);
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private String expandMacros(String sql) {
        long from = fromEpochMillis / 1000;
        long to = toEpochMillis / 1000;
        String out = sql;
        out = replaceFunction(out, "$__timeFilter_ms", a -> a.get(0) + " >= fromUnixTimestamp64Milli(" + fromEpochMillis
                + ") AND " + a.get(0) + " <= fromUnixTimestamp64Milli(" + toEpochMillis + ")");
        out = replaceFunction(out, "$__timeFilter", a -> a.get(0) + " >= toDateTime(" + from + ") AND " + a.get(0)
                + " <= toDateTime(" + to + ")");
        out = replaceFunction(out, "$__dateFilter", a -> a.get(0) + " >= toDate('" + DATE.format(Instant.ofEpochMilli(fromEpochMillis))
                + "') AND " + a.get(0) + " <= toDate('" + DATE.format(Instant.ofEpochMilli(toEpochMillis)) + "')");
        for (String name : List.of("$__dateTimeFilter", "$__dt")) {
            out = replaceFunction(out, name, a -> "(" + a.get(0) + " >= toDate('" + DATE.format(Instant.ofEpochMilli(fromEpochMillis))
                    + "') AND " + a.get(0) + " <= toDate('" + DATE.format(Instant.ofEpochMilli(toEpochMillis)) + "')) AND ("
                    + a.get(1) + " >= toDateTime(" + from + ") AND " + a.get(1) + " <= toDateTime(" + to + "))");
        }
        out = replaceFunction(out, "$__timeFrom", a -> a.get(0) + " >= toDateTime(" + from + ")");
        out = replaceFunction(out, "$__timeTo", a -> a.get(0) + " <= toDateTime(" + to + ")");
        out = replaceFunction(out, "$__timeInterval_ms", a -> "toStartOfInterval(toDateTime64(" + a.get(0) + ", 3), INTERVAL "
                + intervalSeconds * 1000 + " millisecond)");
        out = replaceFunction(out, "$__timeInterval", a -> "toStartOfInterval(toDateTime(" + a.get(0) + "), INTERVAL "
                + intervalSeconds + " second)");
        out = replaceFunction(out, "$__timeGroup", a -> "toStartOfInterval(toDateTime(" + a.get(0) + "), INTERVAL "
                + goDurationSeconds(a.get(1).strip().replace("'", "")) + " second)");
        out = out.replace("$__fromTime_ms", "fromUnixTimestamp64Milli(" + fromEpochMillis + ")")
                .replace("$__toTime_ms", "fromUnixTimestamp64Milli(" + toEpochMillis + ")")
                .replace("$__fromTime", "toDateTime(" + from + ")")
                .replace("$__toTime", "toDateTime(" + to + ")")
                .replace("$__interval_s", Long.toString(intervalSeconds));
        return out;
    }

    private interface Expansion {
        String apply(List<String> args);
    }

    private static String replaceFunction(String sql, String name, Expansion expansion) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        int found;
        while ((found = sql.indexOf(name + "(", at)) >= 0) {
            out.append(sql, at, found);
            List<String> args = new ArrayList<>();
            int end = arguments(sql, found + name.length() + 1, args);
            out.append(expansion.apply(args.stream().map(String::strip).toList()));
            at = end;
        }
        out.append(sql.substring(at));
        return out.toString();
    }

    /** Splits top-level comma-separated arguments starting at {@code start}; returns the index after ')'. */
    private static int arguments(String sql, int start, List<String> args) {
        int depth = 0;
        boolean quoted = false;
        StringBuilder current = new StringBuilder();
        for (int i = start; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'' && (i == 0 || sql.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && (c == '(' || c == '{')) {
                depth++;
            } else if (!quoted && (c == ')' || c == '}')) {
                if (depth == 0) {
                    args.add(current.toString());
                    return i + 1;
                }
                depth--;
            } else if (!quoted && c == ',' && depth == 0) {
                args.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        throw new IllegalArgumentException("unbalanced macro arguments in: " + sql.substring(start - 1));
    }

    static long goDurationSeconds(String duration) {
        Matcher matcher = GO_DURATION.matcher(duration);
        long millis = 0;
        int consumed = 0;
        while (matcher.find()) {
            long amount = Long.parseLong(matcher.group(1));
            millis += switch (matcher.group(2)) {
                case "ms" -> amount;
                case "s" -> amount * 1000;
                case "m" -> amount * 60_000;
                case "h" -> amount * 3_600_000;
                default -> amount * 86_400_000;
            };
            consumed += matcher.group().length();
        }
        if (consumed != duration.length() || millis == 0) {
            throw new IllegalArgumentException("not a Go duration: '" + duration + "'");
        }
        return Math.max(1, millis / 1000);
    }
}
