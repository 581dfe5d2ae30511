package dev.agentwatch.model.otlp;

import dev.agentwatch.model.StepKind;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides a span's {@link StepKind} and operation from its attributes, never from its name
 * (span names differ across ecosystems: {@code chat gpt-4o}, {@code openai.chat},
 * {@code ChatOpenAI}). First match wins:
 * <ol>
 *   <li>{@code agentwatch.step.kind}, an explicit override;</li>
 *   <li>{@code gen_ai.operation.name} when it is a known value (OTel GenAI, current OpenLLMetry);
 *       custom values fall through to the next rules but are still reported as the operation;</li>
 *   <li>{@code openinference.span.kind};</li>
 *   <li>{@code traceloop.span.kind} (OpenLLMetry decorators);</li>
 *   <li>{@code llm.request.type} (legacy OpenLLMetry);</li>
 *   <li>{@code mcp.method.name = tools/call};</li>
 *   <li>evidence: {@code gen_ai.evaluation.name} → EVALUATION; a provider
 *       ({@code gen_ai.provider.name}/{@code gen_ai.system}) with {@code gen_ai.request.model} → LLM
 *       (GenAI spans older than {@code gen_ai.operation.name}); {@code gen_ai.tool.name} → TOOL;</li>
 *   <li>otherwise OTHER.</li>
 * </ol>
 * A root span (no parent) that is an OpenInference CHAIN is the run itself and becomes AGENT
 * (OpenInference frameworks such as LangChain root an agent run in a CHAIN); a non-root CHAIN is
 * framework plumbing and stays OTHER.
 *
 * <p>When {@code gen_ai.operation.name} is absent the operation is translated to the OTel
 * well-known value where one is equivalent (OpenInference LLM → {@code chat}, or
 * {@code text_completion} when it carries {@code llm.prompts.*}; TOOL → {@code execute_tool};
 * AGENT and root CHAIN → {@code invoke_agent}; EMBEDDING → {@code embeddings}; RETRIEVER →
 * {@code retrieval}; traceloop workflow → {@code invoke_workflow}, agent → {@code invoke_agent},
 * tool → {@code execute_tool}; {@code llm.request.type} chat → {@code chat}, completion →
 * {@code text_completion}, embedding → {@code embeddings}), else to the convention's own kind in
 * lower case ({@code chain}, {@code reranker}, {@code guardrail}, {@code evaluator}, {@code task}, ...).
 */
final class StepClassifier {

    /** The classification and whether the span's own convention calls it a tool execution. */
    record Classification(StepKind kind, String operation, boolean toolSpan) {
    }

    private StepClassifier() {
    }

    static Classification classify(SpanAttributes a, boolean root) {
        String op = a.string("gen_ai.operation.name").strip();
        String oi = a.string("openinference.span.kind").strip().toUpperCase(Locale.ROOT);
        String tl = a.string("traceloop.span.kind").strip().toLowerCase(Locale.ROOT);
        String requestType = a.string("llm.request.type").strip().toLowerCase(Locale.ROOT);
        String mcpMethod = a.string("mcp.method.name").strip();

        StepKind conventional = fromOperation(op)
                .or(() -> fromOpenInference(oi, root))
                .or(() -> fromTraceloop(tl))
                .or(() -> fromRequestType(requestType))
                .or(() -> mcpMethod.equals("tools/call") ? Optional.of(StepKind.TOOL) : Optional.empty())
                .or(() -> fromEvidence(a))
                .orElse(StepKind.OTHER);
        StepKind kind = override(a.string(AgentwatchAttributes.STEP_KIND)).orElse(conventional);

        String operation = !op.isEmpty() ? op : derivedOperation(a, oi, tl, requestType, mcpMethod, root);
        boolean toolSpan = kind == StepKind.TOOL || conventional == StepKind.TOOL
                || oi.equals("TOOL") || tl.equals("tool") || op.equals("execute_tool");
        return new Classification(kind, operation, toolSpan);
    }

    static Optional<StepKind> override(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "llm" -> Optional.of(StepKind.LLM);
            case "tool" -> Optional.of(StepKind.TOOL);
            case "agent" -> Optional.of(StepKind.AGENT);
            case "retrieval" -> Optional.of(StepKind.RETRIEVAL);
            case "embedding" -> Optional.of(StepKind.EMBEDDING);
            case "workflow" -> Optional.of(StepKind.WORKFLOW);
            case "handoff" -> Optional.of(StepKind.HANDOFF);
            case "evaluation" -> Optional.of(StepKind.EVALUATION);
            case "other" -> Optional.of(StepKind.OTHER);
            default -> Optional.empty();
        };
    }

    private static Optional<StepKind> fromOperation(String op) {
        StepKind kind = switch (op) {
            case "chat", "generate_content", "text_completion", "completion", "llm_request" -> StepKind.LLM;
            case "embeddings", "embedding" -> StepKind.EMBEDDING;
            case "retrieval", "search_memory", "vector_db_retrieve" -> StepKind.RETRIEVAL;
            case "execute_tool" -> StepKind.TOOL;
            case "invoke_agent" -> StepKind.AGENT;
            case "invoke_workflow" -> StepKind.WORKFLOW;
            // No public convention names a hand-off yet; accept the obvious spellings.
            case "handoff", "hand_off", "human_handoff", "handoff_to_human", "escalate", "escalation" -> StepKind.HANDOFF;
            case "create_agent", "plan", "create_memory_store", "delete_memory_store", "create_memory",
                 "update_memory", "upsert_memory", "delete_memory", "execute_task" -> StepKind.OTHER;
            default -> null;
        };
        return Optional.ofNullable(kind);
    }

    private static Optional<StepKind> fromOpenInference(String oi, boolean root) {
        if (oi.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(switch (oi) {
            case "LLM" -> StepKind.LLM;
            case "TOOL" -> StepKind.TOOL;
            case "AGENT" -> StepKind.AGENT;
            case "CHAIN" -> root ? StepKind.AGENT : StepKind.OTHER;
            case "RETRIEVER", "RERANKER" -> StepKind.RETRIEVAL;
            case "EMBEDDING" -> StepKind.EMBEDDING;
            case "EVALUATOR" -> StepKind.EVALUATION;
            default -> StepKind.OTHER; // GUARDRAIL, PROMPT, UNKNOWN
        });
    }

    private static Optional<StepKind> fromTraceloop(String tl) {
        return switch (tl) {
            case "workflow" -> Optional.of(StepKind.WORKFLOW);
            case "agent" -> Optional.of(StepKind.AGENT);
            case "tool" -> Optional.of(StepKind.TOOL);
            case "task", "unknown" -> Optional.of(StepKind.OTHER);
            default -> Optional.empty();
        };
    }

    private static Optional<StepKind> fromRequestType(String type) {
        return switch (type) {
            case "chat", "completion" -> Optional.of(StepKind.LLM);
            case "embedding" -> Optional.of(StepKind.EMBEDDING);
            case "rerank" -> Optional.of(StepKind.RETRIEVAL);
            default -> Optional.empty();
        };
    }

    private static Optional<StepKind> fromEvidence(SpanAttributes a) {
        if (a.has("gen_ai.evaluation.name")) {
            return Optional.of(StepKind.EVALUATION);
        }
        if (!a.string("gen_ai.provider.name", "gen_ai.system").isEmpty() && !a.string("gen_ai.request.model").isEmpty()) {
            return Optional.of(StepKind.LLM);
        }
        if (!a.string("gen_ai.tool.name").isEmpty()) {
            return Optional.of(StepKind.TOOL);
        }
        return Optional.empty();
    }

    private static String derivedOperation(SpanAttributes a, String oi, String tl, String requestType,
                                           String mcpMethod, boolean root) {
        if (!oi.isEmpty()) {
            return switch (oi) {
                case "LLM" -> a.hasKeyStartingWith("llm.prompts.")
                        || a.string(AgentwatchAttributes.CONTENT_COMPLETION_PROMPTS).equals("true")
                        ? "text_completion" : "chat";
                case "TOOL" -> "execute_tool";
                case "AGENT" -> "invoke_agent";
                case "CHAIN" -> root ? "invoke_agent" : "chain";
                case "EMBEDDING" -> "embeddings";
                case "RETRIEVER" -> "retrieval";
                default -> oi.toLowerCase(Locale.ROOT);
            };
        }
        if (!tl.isEmpty()) {
            return switch (tl) {
                case "workflow" -> "invoke_workflow";
                case "agent" -> "invoke_agent";
                case "tool" -> "execute_tool";
                default -> tl;
            };
        }
        if (!requestType.isEmpty()) {
            return switch (requestType) {
                case "completion" -> "text_completion";
                case "embedding" -> "embeddings";
                default -> requestType;
            };
        }
        if (mcpMethod.equals("tools/call")) {
            return "execute_tool";
        }
        return "";
    }
}
