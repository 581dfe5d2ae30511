package dev.agentwatch.model.otlp;

import com.google.protobuf.ByteString;
import dev.agentwatch.model.Evaluation;
import dev.agentwatch.model.PriceTable;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepStatus;
import dev.agentwatch.model.TokenUsage;
import dev.agentwatch.model.ToolCallRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.function.Consumer;

/**
 * Turns OTLP spans into {@link Step}s: one step per span, whatever convention the span follows
 * (OTel GenAI before and after v1.37, OpenInference, OpenLLMetry old and new). Pure: no I/O, no
 * clock, no logging. Immutable and thread-safe; share one instance.
 *
 * <h2>Classification</h2>
 * By attributes, never by span name; see {@link StepClassifier} for the order. A span nothing
 * recognises becomes {@link StepKind#OTHER} named after the span: no span is dropped for lack of
 * attributes. {@code agentwatch.step.kind} overrides everything ({@link AgentwatchAttributes}).
 *
 * <h2>Attribute precedence (first present wins)</h2>
 * <ul>
 *   <li>service: resource {@code service.name}.</li>
 *   <li>agent name: {@code gen_ai.agent.name}, {@code agentwatch.agent.name} (also read from
 *       OpenInference {@code metadata} JSON and {@code traceloop.association.properties.*}),
 *       OpenInference {@code agent.name}, {@code traceloop.entity.name} on traceloop agent spans,
 *       resource {@code gen_ai.agent.name} / {@code agentwatch.agent.name}; finally, for an AGENT
 *       step without {@code gen_ai.operation.name} (OpenInference, OpenLLMetry: spans named after
 *       the agent), the span name. Never {@code service.name}: that is already {@link Step#service()},
 *       and leaving child steps empty lets the run assembler propagate the root's name.</li>
 *   <li>agent version: {@code gen_ai.agent.version}, {@code agentwatch.agent.version} (same
 *       sources as the name), {@code traceloop.entity.version} on agent spans, resource
 *       {@code gen_ai.agent.version} / {@code agentwatch.agent.version} / {@code service.version}
 *       (the step has no other place for the deployed version, which regression analysis needs).</li>
 *   <li>provider: {@code gen_ai.provider.name}, {@code gen_ai.system}, {@code llm.provider},
 *       {@code llm.system}, LangChain's {@code ls_provider} in OpenInference {@code metadata};
 *       lower-cased, old spellings mapped to current ones ({@code az.ai.openai} →
 *       {@code azure.ai.openai}, {@code gemini} → {@code gcp.gemini}, {@code mistralai} →
 *       {@code mistral_ai}, ...).</li>
 *   <li>model: {@code gen_ai.response.model}, {@code llm.response.model_name}, {@code llm.model_name},
 *       {@code gen_ai.request.model}, {@code llm.request.model_name}, {@code embedding.model_name},
 *       {@code reranker.model_name}, {@code metadata.ls_model_name},
 *       {@code llm.invocation_parameters.model}.</li>
 *   <li>tokens: input {@code gen_ai.usage.input_tokens}, {@code gen_ai.usage.prompt_tokens},
 *       {@code llm.token_count.prompt}; output {@code gen_ai.usage.output_tokens},
 *       {@code gen_ai.usage.completion_tokens}, {@code llm.token_count.completion}; cache read
 *       {@code gen_ai.usage.cache_read.input_tokens}, {@code gen_ai.usage.cache_read_input_tokens},
 *       {@code llm.token_count.prompt_details.cache_read}; cache write
 *       {@code gen_ai.usage.cache_write.input_tokens}, {@code gen_ai.usage.cache_creation.input_tokens},
 *       {@code gen_ai.usage.cache_creation_input_tokens}, {@code llm.token_count.prompt_details.cache_write};
 *       reasoning {@code gen_ai.usage.reasoning.output_tokens}, {@code gen_ai.usage.reasoning_tokens},
 *       {@code llm.usage.reasoning_tokens}, {@code llm.token_count.completion_details.reasoning}.
 *       A missing input or output is derived from a total ({@code llm.token_count.total},
 *       {@code llm.usage.total_tokens}, {@code gen_ai.usage.total_tokens}); a bare total counts as
 *       input. When cache tokens exceed input, input evidently excluded them (raw Anthropic
 *       accounting) and they are added; likewise reasoning is added to output when it exceeds it.
 *       Negative counts are ignored.</li>
 *   <li>cost: the {@link PriceTable} price for (provider, model); when the table does not know the
 *       model, OpenInference's own {@code llm.cost.total}; else 0. Cost is per span: spans that
 *       report aggregated usage (an {@code invoke_agent} over its LLM calls) carry it too, so
 *       run totals should sum leaf LLM/EMBEDDING steps.</li>
 *   <li>finish reason: first of {@code gen_ai.response.finish_reasons}, then {@code llm.finish_reason},
 *       {@code gen_ai.response.finish_reason}, {@code llm.response.finish_reason},
 *       {@code gen_ai.response.stop_reason}, {@code gen_ai.completion.0.finish_reason}, the output
 *       messages' {@code finish_reason}.</li>
 *   <li>tool name {@code gen_ai.tool.name}, {@code tool.name}, {@code traceloop.entity.name} on
 *       traceloop tool spans; tool call id {@code gen_ai.tool.call.id}, {@code tool_call.id},
 *       {@code tool.id}; arguments {@code gen_ai.tool.call.arguments}, and on tool spans
 *       {@code input.value}, {@code traceloop.entity.input}; result {@code gen_ai.tool.call.result},
 *       and on tool spans {@code output.value}, {@code traceloop.entity.output}.</li>
 *   <li>requested tool calls (first source with any): {@code gen_ai.output.messages} tool_call parts,
 *       {@code llm.output_messages.N.message.tool_calls.M.tool_call.*},
 *       {@code gen_ai.completion.N.tool_calls.M.*}, the v1.27 {@code gen_ai.content.completion}
 *       event, OpenInference {@code llm.function_call}.</li>
 *   <li>conversation: {@code gen_ai.conversation.id}, {@code session.id},
 *       {@code traceloop.association.properties.session_id|conversation_id|thread_id},
 *       {@code metadata.session_id|conversation_id|thread_id}.</li>
 *   <li>subject / claimed outcome: {@code agentwatch.subject.id} / {@code agentwatch.outcome.claimed}
 *       on the span, in {@code metadata}, or as traceloop association properties.</li>
 * </ul>
 *
 * <h2>Status and errors</h2>
 * The OTLP status code; an UNSET status with a non-empty {@code error.type} is ERROR (the GenAI
 * conventions set {@code error.type} only on failure). {@code errorType}: {@code error.type}, else
 * the first {@code exception} event's {@code exception.type}, else an {@code exception.type}
 * attribute. {@code errorMessage}: the status message, else the exception event's
 * {@code exception.message}, else an {@code exception.message} attribute; its first non-blank
 * line, at most {@value #MAX_ERROR_MESSAGE_CHARS} characters. Exception details are reported even on
 * an OK span: a recorded but swallowed exception is exactly what detectors look for.
 *
 * <h2>Content</h2>
 * Prompt, completion, tool argument and tool result text never reaches the step. The mapper keeps
 * the visible text's length in code points ({@code inputChars}, {@code outputChars}) and a 16-hex
 * SHA-256 prefix ({@code outputHash}, {@code toolArgumentsHash}, {@link ToolCallRequest#argumentsHash()}).
 * JSON arguments are hashed in canonical form (sorted keys, no whitespace), so the same call sent
 * with different spacing, key order, or as a structured attribute hashes the same.
 * {@code outputHash} is empty when the span carries no output at all, and the hash of "" when it
 * carries an empty one: with {@code outputChars == 0} this tells "content not captured" from
 * "empty completion". Text comes from messages when the span has them (OTel
 * {@code gen_ai.input/output.messages}, OpenInference {@code llm.input/output_messages.*},
 * {@code llm.prompts.*}/{@code llm.choices.*}, OpenLLMetry {@code gen_ai.prompt/completion.N.content},
 * v1.27 content events), else from the raw value ({@code gen_ai.tool.call.arguments/result},
 * {@code input.value}/{@code output.value}, {@code traceloop.entity.input/output},
 * {@code gen_ai.retrieval.query.text}). A span the collector filtered ({@link SpanContentFilter})
 * carries {@code agentwatch.content.*} attributes computed from its original content; when
 * {@link AgentwatchAttributes#CONTENT_SUMMARIZED} is true the content fields come from those alone,
 * so removing or redacting content does not change the step.
 *
 * <h2>Evaluations</h2>
 * Span events named {@code gen_ai.evaluation.result} (or with {@code event.name} set to it),
 * {@code gen_ai.evaluation.*} attributes on the span itself, and OpenInference
 * {@code evaluations.N.evaluation.*} / {@code annotations.N.annotation.*} attributes.
 *
 * <h2>Ids and times</h2>
 * Lower-case hex. A trace id that is not 16 non-zero bytes, a span id that is not 8 non-zero
 * bytes, or a parent span id that is neither empty nor 8 bytes throws {@link InvalidSpanException};
 * an all-zero parent id means "no parent". So does a start or end time past 2^63 - 1 ns (OTLP
 * times are unsigned). A span that ends before it starts is kept with its end set to its start.
 */
public final class OtlpSpanMapper {

    static final int MAX_ERROR_MESSAGE_CHARS = Step.MAX_TEXT_CHARS;

    private static final HexFormat HEX = HexFormat.of();
    /** Token counts above this are not counts (see {@link #count}). */
    static final long MAX_TOKEN_COUNT = 1_000_000_000_000L;
    private static final Map<String, String> PROVIDER_ALIASES = Map.ofEntries(
            Map.entry("az.ai.openai", "azure.ai.openai"),
            Map.entry("azure", "azure.ai.openai"),
            Map.entry("azure_openai", "azure.ai.openai"),
            Map.entry("az.ai.inference", "azure.ai.inference"),
            Map.entry("vertex_ai", "gcp.vertex_ai"),
            Map.entry("vertexai", "gcp.vertex_ai"),
            Map.entry("google_vertexai", "gcp.vertex_ai"),
            Map.entry("gemini", "gcp.gemini"),
            Map.entry("google_genai", "gcp.gemini"),
            Map.entry("google", "gcp.gen_ai"),
            Map.entry("xai", "x_ai"),
            Map.entry("mistralai", "mistral_ai"),
            Map.entry("aws", "aws.bedrock"),
            Map.entry("amazon", "aws.bedrock"),
            Map.entry("bedrock", "aws.bedrock"),
            Map.entry("amazon_bedrock", "aws.bedrock"),
            Map.entry("moonshot", "moonshot_ai"),
            Map.entry("huggingface", "hugging_face"),
            Map.entry("together", "together_ai"));

    private final PriceTable prices;

    public OtlpSpanMapper(PriceTable prices) {
        this.prices = Objects.requireNonNull(prices, "prices");
    }

    /**
     * Maps every span of a request, all or nothing.
     *
     * @throws InvalidSpanException on the first span with broken ids or times; use
     *         {@link #map(String, ExportTraceServiceRequest, Consumer)} to keep the valid ones
     */
    public List<Step> map(String tenant, ExportTraceServiceRequest request) {
        return map(tenant, request, rejected -> {
            throw rejected;
        });
    }

    /**
     * Maps every valid span of a request, in request order, and hands each span with broken ids or times
     * to {@code rejected} (for counting and the OTLP partial-success answer) instead of throwing.
     */
    public List<Step> map(String tenant, ExportTraceServiceRequest request,
                          Consumer<? super InvalidSpanException> rejected) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(rejected, "rejected");
        List<Step> steps = new ArrayList<>();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    try {
                        steps.add(map(tenant, resourceSpans.getResource(), scopeSpans.getScope(), span));
                    } catch (InvalidSpanException e) {
                        rejected.accept(e);
                    }
                }
            }
        }
        return Collections.unmodifiableList(steps);
    }

    /**
     * Maps one span. {@code scope} is accepted for completeness; conventions are recognised from
     * attributes, so it does not change the result today.
     *
     * @param tenant the tenant the span was accepted for (from the API key), not blank
     * @throws InvalidSpanException if the span's ids or times are broken
     */
    public Step map(String tenant, Resource resource, InstrumentationScope scope, Span span) {
        Objects.requireNonNull(tenant, "tenant");
        if (tenant.isBlank()) {
            throw new IllegalArgumentException("tenant must not be blank");
        }
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(span, "span");
        return new SpanReading(tenant, resource, span).step();
    }

    /** Everything read from one span; lives for one {@code map} call. */
    private final class SpanReading {
        private final String tenant;
        private final Span span;
        private final SpanAttributes a;
        private final SpanAttributes resource;
        private final String runId;
        private final String stepId;
        private final String parentStepId;
        private Map<String, Object> metadata;

        SpanReading(String tenant, Resource resource, Span span) {
            this.tenant = tenant;
            this.span = span;
            this.runId = id(span.getTraceId(), 16, InvalidSpanException.Reason.INVALID_TRACE_ID, "trace id");
            this.stepId = id(span.getSpanId(), 8, InvalidSpanException.Reason.INVALID_SPAN_ID, "span id");
            this.parentStepId = parentId(span.getParentSpanId());
            requireSignedTimes(span);
            this.a = SpanAttributes.of(span.getAttributesList());
            this.resource = SpanAttributes.of(resource.getAttributesList());
        }

        Step step() {
            boolean root = parentStepId.isEmpty();
            StepClassifier.Classification c = StepClassifier.classify(a, root);
            StepKind kind = c.kind();
            String spanName = span.getName();
            String op = a.string("gen_ai.operation.name");
            String tl = a.string("traceloop.span.kind").strip().toLowerCase(Locale.ROOT);

            String provider = provider();
            String model = model();
            TokenUsage tokens = tokens();
            double cost = cost(provider, model, tokens);

            String agentName = firstNonBlank(
                    a.string("gen_ai.agent.name"),
                    agentwatch(AgentwatchAttributes.AGENT_NAME),
                    a.string("agent.name"),
                    tl.equals("agent") ? a.string("traceloop.entity.name") : "",
                    resource.string("gen_ai.agent.name", AgentwatchAttributes.AGENT_NAME),
                    kind == StepKind.AGENT && op.isEmpty() ? spanName : "");
            String agentVersion = firstNonBlank(
                    a.string("gen_ai.agent.version"),
                    agentwatch(AgentwatchAttributes.AGENT_VERSION),
                    tl.equals("agent") ? a.string("traceloop.entity.version") : "",
                    resource.string("gen_ai.agent.version", AgentwatchAttributes.AGENT_VERSION, "service.version"));

            String toolName = firstNonBlank(
                    a.string("gen_ai.tool.name", "tool.name"),
                    tl.equals("tool") ? a.string("traceloop.entity.name") : "");
            String toolCallId = a.string("gen_ai.tool.call.id", "tool_call.id", "tool.id");
            // A span whose content the collector removed or redacted carries its summary instead.
            ContentSummary content = ContentSummary.read(a).orElseGet(() -> ContentReading.summarize(a, span, c.toolSpan()));

            StepStatus status = status();
            String name = name(kind, c.operation(), model, agentName, toolName, spanName);

            return new Step(
                    tenant,
                    resource.string("service.name"),
                    agentName,
                    agentVersion,
                    runId,
                    stepId,
                    parentStepId,
                    kind,
                    name,
                    spanName,
                    c.operation(),
                    provider,
                    model,
                    span.getStartTimeUnixNano(),
                    Math.max(span.getStartTimeUnixNano(), span.getEndTimeUnixNano()),
                    status,
                    errorType(),
                    errorMessage(),
                    tokens,
                    cost,
                    finishReason(content.finishReasons()),
                    toolName,
                    toolCallId,
                    content.toolArgumentsHash(),
                    content.toolOutputLooksLikeError(),
                    content.requestedToolCalls(),
                    conversationId(),
                    agentwatch(AgentwatchAttributes.SUBJECT_ID),
                    agentwatch(AgentwatchAttributes.OUTCOME_CLAIMED),
                    evaluations(),
                    content.inputChars(),
                    content.outputChars(),
                    content.outputHash());
        }

        private String name(StepKind kind, String operation, String model, String agentName, String toolName,
                            String spanName) {
            String name = switch (kind) {
                case TOOL -> toolName;
                case LLM, EMBEDDING -> model.isEmpty() ? "" : (operation.isEmpty() ? model : operation + " " + model);
                case AGENT -> agentName;
                case WORKFLOW -> firstNonBlank(
                        a.string("gen_ai.workflow.name"),
                        a.string("traceloop.span.kind").equalsIgnoreCase("workflow") ? a.string("traceloop.entity.name") : "",
                        a.string("traceloop.workflow.name"));
                case EVALUATION -> a.string("gen_ai.evaluation.name");
                default -> "";
            };
            return firstNonBlank(name, spanName, operation, kind.label());
        }

        // ---- provider, model, tokens, cost

        private String provider() {
            String raw = firstNonBlank(
                    a.string("gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system"),
                    Json.string(metadata(), "ls_provider"));
            String p = raw.strip().toLowerCase(Locale.ROOT);
            return PROVIDER_ALIASES.getOrDefault(p, p);
        }

        private String model() {
            String m = firstNonBlank(
                    a.string("gen_ai.response.model", "llm.response.model_name", "llm.model_name",
                            "gen_ai.request.model", "llm.request.model_name", "embedding.model_name",
                            "reranker.model_name"),
                    Json.string(metadata(), "ls_model_name"));
            if (m.isEmpty() && a.has("llm.invocation_parameters")) {
                Map<String, Object> params = Json.parseObject(a.string("llm.invocation_parameters")).orElse(Map.of());
                m = firstNonBlank(Json.string(params, "model"), Json.string(params, "model_name"));
            }
            return m.strip();
        }

        private TokenUsage tokens() {
            long input = count(a.integer("gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens",
                    "llm.token_count.prompt", "llm.usage.prompt_tokens"));
            long output = count(a.integer("gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens",
                    "llm.token_count.completion", "llm.usage.completion_tokens"));
            long total = count(a.integer("llm.token_count.total", "llm.usage.total_tokens", "gen_ai.usage.total_tokens"));
            long cacheRead = Math.max(0, count(a.integer("gen_ai.usage.cache_read.input_tokens",
                    "gen_ai.usage.cache_read_input_tokens", "llm.token_count.prompt_details.cache_read")));
            long cacheWrite = Math.max(0, count(a.integer("gen_ai.usage.cache_write.input_tokens",
                    "gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens",
                    "llm.token_count.prompt_details.cache_write")));
            long reasoning = Math.max(0, count(a.integer("gen_ai.usage.reasoning.output_tokens",
                    "gen_ai.usage.reasoning_tokens", "llm.usage.reasoning_tokens",
                    "llm.token_count.completion_details.reasoning")));
            if (total > 0) {
                if (input < 0 && output >= 0) {
                    input = Math.max(0, total - output);
                } else if (output < 0 && input >= 0) {
                    output = Math.max(0, total - input);
                } else if (input < 0) {
                    input = total;
                }
            }
            input = Math.max(0, input);
            output = Math.max(0, output);
            if (cacheRead + cacheWrite > input) {
                input += cacheRead + cacheWrite;
            }
            if (reasoning > output) {
                output += reasoning;
            }
            if (input == 0 && output == 0 && cacheRead == 0 && cacheWrite == 0 && reasoning == 0) {
                return TokenUsage.NONE;
            }
            return new TokenUsage(input, output, cacheRead, cacheWrite, reasoning);
        }

        private double cost(String provider, String model, TokenUsage tokens) {
            Optional<PriceTable.Price> price = model.isEmpty() ? Optional.empty() : prices.find(provider, model);
            if (price.isPresent()) {
                return price.get().costUsd(tokens);
            }
            OptionalDouble reported = a.number("llm.cost.total");
            return reported.isPresent() && reported.getAsDouble() >= 0 && Double.isFinite(reported.getAsDouble())
                    ? reported.getAsDouble() : 0.0;
        }

        // ---- status and errors

        private StepStatus status() {
            return switch (span.getStatus().getCode()) {
                case STATUS_CODE_OK -> StepStatus.OK;
                case STATUS_CODE_ERROR -> StepStatus.ERROR;
                default -> a.string("error.type").isBlank() ? StepStatus.UNSET : StepStatus.ERROR;
            };
        }

        private String errorType() {
            return firstNonBlank(a.string("error.type"), exceptionEvent("exception.type"), a.string("exception.type")).strip();
        }

        private String errorMessage() {
            Status status = span.getStatus();
            return firstLine(firstNonBlank(status.getMessage(), exceptionEvent("exception.message"),
                    a.string("exception.message")));
        }

        private String exceptionEvent(String key) {
            for (Span.Event event : span.getEventsList()) {
                if (event.getName().equals("exception") || event.getName().equals("gen_ai.client.operation.exception")) {
                    String value = SpanAttributes.of(event.getAttributesList()).string(key);
                    if (!value.isBlank()) {
                        return value;
                    }
                }
            }
            return "";
        }

        private String finishReason(List<String> contentFinishReasons) {
            List<String> reasons = a.list("gen_ai.response.finish_reasons");
            if (!reasons.isEmpty()) {
                return reasons.getFirst().strip();
            }
            String reason = a.string("llm.finish_reason", "gen_ai.response.finish_reason", "llm.response.finish_reason",
                    "gen_ai.response.stop_reason", "gen_ai.completion.0.finish_reason");
            if (!reason.isBlank()) {
                return reason.strip();
            }
            return contentFinishReasons.isEmpty() ? "" : contentFinishReasons.getFirst().strip();
        }

        // ---- run-level context

        private String conversationId() {
            return firstNonBlank(
                    a.string("gen_ai.conversation.id", "session.id",
                            "traceloop.association.properties.session_id",
                            "traceloop.association.properties.conversation_id",
                            "traceloop.association.properties.thread_id"),
                    Json.string(metadata(), "session_id"),
                    Json.string(metadata(), "conversation_id"),
                    Json.string(metadata(), "thread_id")).strip();
        }

        /** An agentwatch attribute on the span, in OpenInference metadata, or as a traceloop association property. */
        private String agentwatch(String key) {
            return firstNonBlank(
                    a.string(key),
                    Json.string(metadata(), key),
                    a.string("traceloop.association.properties." + key)).strip();
        }

        private Map<String, Object> metadata() {
            if (metadata == null) {
                metadata = a.has("metadata") ? Json.parseObject(a.string("metadata")).orElse(Map.of()) : Map.of();
            }
            return metadata;
        }

        // ---- evaluations

        private List<Evaluation> evaluations() {
            List<Evaluation> out = new ArrayList<>();
            for (Span.Event event : span.getEventsList()) {
                SpanAttributes e = SpanAttributes.of(event.getAttributesList());
                if (event.getName().equals("gen_ai.evaluation.result")
                        || e.string("event.name").equals("gen_ai.evaluation.result")) {
                    evaluation(e, "gen_ai.evaluation.name", "gen_ai.evaluation.score.value",
                            "gen_ai.evaluation.score.label").ifPresent(out::add);
                }
            }
            evaluation(a, "gen_ai.evaluation.name", "gen_ai.evaluation.score.value", "gen_ai.evaluation.score.label")
                    .ifPresent(out::add);
            for (SpanAttributes e : a.indexed("evaluations.").values()) {
                evaluation(e, "evaluation.name", "evaluation.score", "evaluation.label").ifPresent(out::add);
            }
            for (SpanAttributes e : a.indexed("annotations.").values()) {
                evaluation(e, "annotation.name", "annotation.score", "annotation.label").ifPresent(out::add);
            }
            return out;
        }

        private static Optional<Evaluation> evaluation(SpanAttributes e, String nameKey, String scoreKey, String labelKey) {
            String name = e.string(nameKey).strip();
            OptionalDouble score = e.number(scoreKey);
            String label = e.string(labelKey).strip();
            if (name.isEmpty() && score.isEmpty() && label.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Evaluation(name, score.orElse(Double.NaN), label));
        }
    }

    // ---- helpers

    private static String id(ByteString bytes, int length, InvalidSpanException.Reason reason, String what) {
        if (bytes.size() != length) {
            throw new InvalidSpanException(reason, what + " must be " + length + " bytes, got " + bytes.size());
        }
        if (allZero(bytes)) {
            throw new InvalidSpanException(reason, what + " must not be all zero");
        }
        return HEX.formatHex(bytes.toByteArray());
    }

    private static String parentId(ByteString bytes) {
        if (bytes.isEmpty() || (bytes.size() == 8 && allZero(bytes))) {
            return "";
        }
        if (bytes.size() != 8) {
            throw new InvalidSpanException(InvalidSpanException.Reason.INVALID_PARENT_SPAN_ID,
                    "parent span id must be empty or 8 bytes, got " + bytes.size());
        }
        return HEX.formatHex(bytes.toByteArray());
    }

    private static boolean allZero(ByteString bytes) {
        for (int i = 0; i < bytes.size(); i++) {
            if (bytes.byteAt(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** First non-blank line, at most {@link #MAX_ERROR_MESSAGE_CHARS} chars, never splitting a surrogate pair. */
    static String firstLine(String message) {
        return Step.capped(message.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(""));
    }

    /**
     * A token count, or -1 when absent, negative, or above {@value #MAX_TOKEN_COUNT}: no model call
     * reads or writes a trillion tokens, and ignoring such a value keeps the sums of counts from
     * overflowing.
     */
    private static long count(OptionalLong value) {
        return value.isPresent() && value.getAsLong() >= 0 && value.getAsLong() <= MAX_TOKEN_COUNT ? value.getAsLong() : -1;
    }

    /**
     * OTLP times are unsigned; one past 2^63 - 1 (the year 2262) would read as negative here and
     * make a negative duration, which no step, sample or sketch can hold.
     */
    private static void requireSignedTimes(Span span) {
        if (span.getStartTimeUnixNano() < 0 || span.getEndTimeUnixNano() < 0) {
            throw new InvalidSpanException(InvalidSpanException.Reason.INVALID_TIME, "start and end must be nanoseconds "
                    + "since 1970 before the year 2262, got start " + Long.toUnsignedString(span.getStartTimeUnixNano())
                    + " and end " + Long.toUnsignedString(span.getEndTimeUnixNano()));
        }
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return "";
    }
}
