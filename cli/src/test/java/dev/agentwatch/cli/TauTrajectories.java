package dev.agentwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The tau-bench retail trajectories of {@code shared/reference/datasets/tau_retail} (real agent
 * conversations whose reward was computed afterwards from the final database state), turned into
 * agent runs emitted through the OpenTelemetry Java SDK. Timings are synthesized (the dataset has
 * none): each assistant message is a 2-second LLM step, each of its tool calls a 0.5-second tool
 * step carrying the call's arguments and result, a user turn takes 5 seconds.
 *
 * <p>The claim is what a retail agent's instrumentation would record from its final answer:
 * {@code transferred} when the agent's last tool call handed the customer to a human, else
 * {@code completed} when the final message reports a done action ("successfully", "has been
 * cancelled/updated/..."), else nothing (the run just ends OK).
 */
final class TauTrajectories {
    static final String AGENT = "tau-retail-agent";
    private static final Pattern DONE = Pattern.compile("successfully|ha(s|ve) been (cancel|updat|modif|process|submit"
            + "|initiat|chang|exchang|return|refund|switch|replac)", Pattern.CASE_INSENSITIVE);

    /** One trajectory: its task, its reward, what its final answer claimed, and the failure analysis if any. */
    record Trajectory(int taskId, double reward, String claim, JsonNode messages, String failureSummary) {
    }

    static Path datasetDir() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("reference").resolve("datasets").resolve("tau_retail");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared/reference/datasets/tau_retail above " + dir
                + ": copy the shared/ folder beside the repository clone");
    }

    static List<Trajectory> load() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode all = mapper.readTree(datasetDir().resolve("tau_dataset_full.json").toFile());
        Map<Integer, String> failures = new HashMap<>();
        for (JsonNode failure : mapper.readTree(datasetDir().resolve("tau_retail.json").toFile())) {
            failures.put(failure.get("trajectory_id").asInt(), failure.path("failure_summary").asText(""));
        }
        List<Trajectory> out = new ArrayList<>();
        for (JsonNode item : all) {
            JsonNode messages = item.get("traj");
            out.add(new Trajectory(item.get("task_id").asInt(), item.get("reward").asDouble(), claim(messages), messages,
                    failures.getOrDefault(item.get("task_id").asInt(), "")));
        }
        return out;
    }

    private static String claim(JsonNode messages) {
        String lastTool = "";
        String lastText = "";
        for (JsonNode message : messages) {
            if (!message.path("role").asText().equals("assistant")) {
                continue;
            }
            for (JsonNode call : message.path("tool_calls")) {
                lastTool = call.path("function").path("name").asText();
            }
            if (!message.path("content").asText("").isBlank()) {
                lastText = message.path("content").asText();
            }
        }
        if (lastTool.equals("transfer_to_human_agents")) {
            return "transferred";
        }
        return DONE.matcher(lastText).find() ? "completed" : "";
    }

    /** Emits trajectories as runs; one instance per test. */
    static final class Emitter implements AutoCloseable {
        private final SdkTracerProvider provider;
        private final Tracer tracer;

        Emitter(String endpoint, String apiKey) {
            OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint)
                    .addHeader("Authorization", "Bearer " + apiKey).build();
            provider = SdkTracerProvider.builder()
                    .setResource(Resource.getDefault().merge(Resource.builder().put("service.name", "tau-retail").build()))
                    // Large queue: a hundred runs of about twenty spans are emitted at once, none may be dropped.
                    .addSpanProcessor(BatchSpanProcessor.builder(exporter).setMaxQueueSize(100_000)
                            .setMaxExportBatchSize(512).build())
                    .build();
            tracer = provider.get("agentwatch-tau-retail");
        }

        /** Emits one trajectory starting at {@code start}; returns the run id (trace id) and the run's end. */
        Emitted emit(Trajectory trajectory, Instant start) {
            Span root = tracer.spanBuilder("invoke_agent " + AGENT).setSpanKind(SpanKind.INTERNAL).setStartTimestamp(start)
                    .setAttribute("gen_ai.operation.name", "invoke_agent")
                    .setAttribute("gen_ai.agent.name", AGENT)
                    .setAttribute("gen_ai.agent.version", "tau-bench")
                    .setAttribute("agentwatch.subject.id", "tau-task-" + trajectory.taskId())
                    .startSpan();
            if (!trajectory.claim().isEmpty()) {
                root.setAttribute("agentwatch.outcome.claimed", trajectory.claim());
            }
            Context parent = Context.current().with(root);
            Map<String, String> results = new HashMap<>();
            for (JsonNode message : trajectory.messages()) {
                if (message.path("role").asText().equals("tool")) {
                    results.put(message.path("tool_call_id").asText(), message.path("content").asText(""));
                }
            }
            Instant t = start.plusMillis(100);
            for (JsonNode message : trajectory.messages()) {
                String role = message.path("role").asText();
                if (role.equals("user")) {
                    t = t.plusSeconds(5);
                } else if (role.equals("assistant")) {
                    Span llm = tracer.spanBuilder("chat").setParent(parent).setSpanKind(SpanKind.CLIENT).setStartTimestamp(t)
                            .setAttribute("gen_ai.operation.name", "chat")
                            .setAttribute("gen_ai.provider.name", "openai")
                            .startSpan();
                    t = t.plusSeconds(2);
                    llm.end(t);
                    for (JsonNode call : message.path("tool_calls")) {
                        String id = call.path("id").asText();
                        Span tool = tracer.spanBuilder("execute_tool " + call.path("function").path("name").asText())
                                .setParent(parent).setStartTimestamp(t)
                                .setAttribute("gen_ai.operation.name", "execute_tool")
                                .setAttribute("gen_ai.tool.name", call.path("function").path("name").asText())
                                .setAttribute("gen_ai.tool.call.id", id)
                                .setAttribute("gen_ai.tool.call.arguments", call.path("function").path("arguments").asText())
                                .setAttribute("gen_ai.tool.call.result", results.getOrDefault(id, ""))
                                .startSpan();
                        t = t.plusMillis(500);
                        tool.end(t);
                    }
                }
            }
            Instant end = t.plusMillis(100);
            root.end(end);
            return new Emitted(root.getSpanContext().getTraceId(), end);
        }

        void flush() {
            provider.forceFlush().join(60, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            provider.shutdown().join(60, TimeUnit.SECONDS);
        }
    }

    /** A run as emitted. */
    record Emitted(String runId, Instant end) {
    }

    private TauTrajectories() {
    }
}
