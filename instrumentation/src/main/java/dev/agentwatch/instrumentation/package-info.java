/**
 * Instrumentation for Java agents: {@link dev.agentwatch.instrumentation.AgentTelemetry} opens
 * {@link dev.agentwatch.instrumentation.AgentRun runs}, and runs open
 * {@link dev.agentwatch.instrumentation.LlmCall model calls},
 * {@link dev.agentwatch.instrumentation.ToolCall tool calls} and
 * {@link dev.agentwatch.instrumentation.HumanHandoff hand-offs}, each an AutoCloseable scope over
 * one OpenTelemetry span in the OTel GenAI conventions. Depends on the OpenTelemetry API only.
 */
package dev.agentwatch.instrumentation;
