package dev.agentwatch.detectors.detect;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.RunStatus;
import dev.agentwatch.model.Severity;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.ToolCallRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Missing steps: an LLM step asked for a tool call and no tool step ever ran it. A request is
 * matched to a tool step by call id when both carry one, else to a not yet matched tool step of
 * the same tool name that started after the request. Unfinished runs are skipped: their steps may
 * simply not have arrived.
 */
public final class MissingToolStepDetector implements RunDetector {
    public static final String NAME = "missing_tool_step";

    @Override
    public String name() {
        return NAME;
    }

    /** Disproved when the requested tool's span arrives. */
    @Override
    public boolean lateStepsCanDisprove() {
        return true;
    }

    @Override
    public List<Finding> inspect(RunTrace trace) {
        if (trace.run().status() == RunStatus.UNFINISHED) {
            return List.of();
        }
        List<Step> tools = trace.steps().stream().filter(s -> s.kind() == StepKind.TOOL).toList();
        Set<String> matched = new HashSet<>();
        List<Finding> findings = new ArrayList<>();
        for (Step llm : trace.steps()) {
            if (llm.kind() != StepKind.LLM) {
                continue;
            }
            for (int i = 0; i < llm.requestedToolCalls().size(); i++) {
                ToolCallRequest request = llm.requestedToolCalls().get(i);
                Step tool = byCallId(tools, request, matched);
                if (tool == null) {
                    tool = byName(tools, request, llm, matched);
                }
                if (tool != null) {
                    matched.add(tool.stepId());
                    continue;
                }
                Map<String, String> evidence = new LinkedHashMap<>();
                evidence.put("tool", request.toolName());
                evidence.put("call_id", request.callId());
                evidence.put("requested_by", llm.stepId());
                evidence.put("tool_steps_of_that_name",
                        Long.toString(tools.stream().filter(t -> t.name().equals(request.toolName())).count()));
                findings.add(RunFindings.of(NAME, Severity.WARNING, trace, llm.stepId(),
                        i + ":" + request.callId() + ":" + request.toolName(),
                        "the model requested tool " + request.toolName() + " but no tool step ran it",
                        llm.endEpochNanos(), evidence));
            }
        }
        return findings;
    }

    private static Step byCallId(List<Step> tools, ToolCallRequest request, Set<String> matched) {
        if (request.callId().isEmpty()) {
            return null;
        }
        for (Step tool : tools) {
            if (tool.toolCallId().equals(request.callId()) && !matched.contains(tool.stepId())) {
                return tool;
            }
        }
        return null;
    }

    private static Step byName(List<Step> tools, ToolCallRequest request, Step llm, Set<String> matched) {
        for (Step tool : tools) {
            boolean sameTool = tool.name().equals(request.toolName()) || tool.toolName().equals(request.toolName());
            // A tool step with its own call id belongs to the request carrying that id.
            boolean free = tool.toolCallId().isEmpty() || request.callId().isEmpty();
            if (sameTool && free && !matched.contains(tool.stepId()) && tool.startEpochNanos() >= llm.startEpochNanos()) {
                return tool;
            }
        }
        return null;
    }
}
