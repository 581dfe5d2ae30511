package dev.agentwatch.alerts;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Links from a notification back to Grafana. Placeholders {@code {run_id}}, {@code {tenant}},
 * {@code {agent}}, {@code {detector}} and {@code {fingerprint}} are replaced by URL-encoded values.
 *
 * @param runUrlTemplate   for findings about one run, e.g.
 *                         {@code http://localhost:3000/d/agentwatch-agent?var-run_id={run_id}}; empty = no link
 * @param agentUrlTemplate for agent-level findings (no run); empty = no link
 */
public record LinkTemplates(String runUrlTemplate, String agentUrlTemplate) {
    static final java.util.Set<String> PLACEHOLDERS = java.util.Set.of("run_id", "tenant", "agent", "detector", "fingerprint");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    public LinkTemplates {
        Objects.requireNonNull(runUrlTemplate, "runUrlTemplate");
        Objects.requireNonNull(agentUrlTemplate, "agentUrlTemplate");
        check(runUrlTemplate, "global.run_url_template");
        check(agentUrlTemplate, "global.agent_url_template");
    }

    public static LinkTemplates none() {
        return new LinkTemplates("", "");
    }

    private static void check(String template, String setting) {
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!PLACEHOLDERS.contains(m.group(1))) {
                throw new IllegalArgumentException(setting + ": unknown placeholder {" + m.group(1) + "}; known: "
                        + new java.util.TreeSet<>(PLACEHOLDERS));
            }
        }
    }

    /** The link for a finding, or empty when no template applies. */
    String render(Map<String, String> values) {
        String template = values.getOrDefault("run_id", "").isEmpty() ? agentUrlTemplate : runUrlTemplate;
        if (template.isEmpty()) {
            return "";
        }
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = URLEncoder.encode(values.getOrDefault(m.group(1), ""), StandardCharsets.UTF_8);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
