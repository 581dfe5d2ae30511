package dev.agentwatch.detectors.detect;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Severity;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Tool policy: a tool outside the agent's allow-list ({@code ERROR}), or a write-capable tool used
 * by a read-only agent ({@code CRITICAL}). Agents without an allow-list may use any tool.
 */
public final class ToolPolicyDetector implements RunDetector {
    public static final String NAME = "tool_policy";

    /**
     * @param allowedTools   allow-list of tool names by agent name
     * @param readOnlyAgents agents that must not use write-capable tools
     * @param writeTools     write-capable tools: exact names, or prefixes ending in {@code *}
     *                       ({@code delete_*})
     */
    public record Config(Map<String, Set<String>> allowedTools, Set<String> readOnlyAgents, Set<String> writeTools) {
        public Config {
            allowedTools = Map.copyOf(allowedTools);
            allowedTools.values().forEach(Objects::requireNonNull);
            allowedTools = allowedTools.entrySet().stream()
                    .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Set.copyOf(e.getValue())));
            readOnlyAgents = Set.copyOf(readOnlyAgents);
            writeTools = Set.copyOf(writeTools);
        }

        public static Config none() {
            return new Config(Map.of(), Set.of(), Set.of());
        }

        boolean isWriteTool(String tool) {
            for (String pattern : writeTools) {
                if (pattern.endsWith("*") ? tool.startsWith(pattern.substring(0, pattern.length() - 1)) : tool.equals(pattern)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Config config;

    public ToolPolicyDetector(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Finding> inspect(RunTrace trace) {
        String agent = trace.run().agentName();
        Set<String> allowed = config.allowedTools().get(agent);
        boolean readOnly = config.readOnlyAgents().contains(agent);
        if (allowed == null && !readOnly) {
            return List.of();
        }
        List<Finding> findings = new ArrayList<>();
        for (Step step : trace.steps()) {
            if (step.kind() != StepKind.TOOL) {
                continue;
            }
            String tool = step.toolName().isEmpty() ? step.name() : step.toolName();
            if (readOnly && config.isWriteTool(tool)) {
                findings.add(RunFindings.of(NAME, Severity.CRITICAL, trace, step.stepId(), "write",
                        "read-only agent " + agent + " used write-capable tool " + tool, step.endEpochNanos(),
                        Map.of("tool", tool, "rule", "read_only_agent_used_write_tool")));
            } else if (allowed != null && !allowed.contains(tool)) {
                findings.add(RunFindings.of(NAME, Severity.ERROR, trace, step.stepId(), "allow",
                        "agent " + agent + " used tool " + tool + " outside its allow-list", step.endEpochNanos(),
                        Map.of("tool", tool, "rule", "tool_not_allowed", "allowed", String.join(",", new java.util.TreeSet<>(allowed)))));
            }
        }
        return findings;
    }
}
