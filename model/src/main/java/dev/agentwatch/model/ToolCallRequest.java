package dev.agentwatch.model;

import java.util.Objects;

/**
 * A tool call that an LLM step asked for; the run should later contain a tool step with the same
 * call id (or, lacking ids, the same tool name).
 *
 * @param callId        the provider's tool call id, empty when the convention does not carry one
 * @param toolName      the function name requested
 * @param argumentsHash hex SHA-256 prefix of the arguments text, empty when absent
 */
public record ToolCallRequest(String callId, String toolName, String argumentsHash) {
    public ToolCallRequest {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(toolName, "toolName");
        Objects.requireNonNull(argumentsHash, "argumentsHash");
        callId = Step.capped(callId);
        toolName = Step.capped(toolName);
        argumentsHash = Step.capped(argumentsHash);
    }
}
