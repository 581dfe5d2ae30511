package dev.agentwatch.detectors;

import dev.agentwatch.detectors.detect.RunTrace;
import dev.agentwatch.detectors.runs.RunSummarizer;
import dev.agentwatch.model.Evaluation;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepStatus;
import dev.agentwatch.model.TokenUsage;
import dev.agentwatch.model.ToolCallRequest;
import java.util.ArrayList;
import java.util.List;

/** Steps and runs for detector tests: a fluent step builder with every field defaulted. */
public final class TestRuns {
    public static final String TENANT = "acme";
    public static final String RUN = "4bf92f3577b34da6a3ce929d0e0e4736";
    public static final long T0_NANOS = 1_795_923_246_000_000_000L;

    private TestRuns() {
    }

    /** The root agent step of run {@link #RUN}, starting at T0 and lasting 60 s. */
    public static StepBuilder root() {
        return new StepBuilder("00000000000000aa").kind(StepKind.AGENT).name("claims-agent").parent("").at(0, 60_000)
                .agent("claims-agent", "1.0.0");
    }

    /** Another span without a parent in run {@link #RUN}: to an assembler, a root too. */
    public static StepBuilder parentless(String id, long startMillis) {
        return new StepBuilder(id).kind(StepKind.AGENT).name("stray-agent").parent("").at(startMillis, 10);
    }

    public static StepBuilder llm(String id, long startMillis) {
        return new StepBuilder(id).kind(StepKind.LLM).name("chat gpt-4o-mini").model("gpt-4o-mini")
                .tokens(100, 20).cost(0.0001).at(startMillis, 500).finish("stop").output(12, "0123456789abcdef");
    }

    public static StepBuilder tool(String id, String tool, String argsHash, long startMillis) {
        return new StepBuilder(id).kind(StepKind.TOOL).name(tool).tool(tool, argsHash).at(startMillis, 50);
    }

    public static RunTrace trace(StepBuilder... steps) {
        List<Step> built = new ArrayList<>();
        long end = 0;
        for (StepBuilder builder : steps) {
            Step step = builder.build();
            built.add(step);
            end = Math.max(end, step.endEpochNanos() / 1_000_000);
        }
        return new RunTrace(RunSummarizer.summarize(built, end), built);
    }

    /** A step with every field set; change what the test is about. */
    public static final class StepBuilder {
        private final String stepId;
        private String runId = RUN;
        private String tenant = TENANT;
        private String parent = "00000000000000aa";
        private StepKind kind = StepKind.OTHER;
        private String name = "step";
        private String agentName = "";
        private String agentVersion = "";
        private String model = "";
        private long startNanos = T0_NANOS;
        private long endNanos = T0_NANOS + 1_000_000;
        private StepStatus status = StepStatus.OK;
        private String errorType = "";
        private String errorMessage = "";
        private TokenUsage tokens = TokenUsage.NONE;
        private double cost;
        private String finish = "";
        private String toolName = "";
        private String toolCallId = "";
        private String argsHash = "";
        private boolean errorShapedOutput;
        private final List<ToolCallRequest> requests = new ArrayList<>();
        private String subject = "";
        private String claim = "";
        private final List<Evaluation> evaluations = new ArrayList<>();
        private long outputChars;
        private String outputHash = "";

        StepBuilder(String stepId) {
            this.stepId = stepId;
        }

        public StepBuilder run(String tenantOfRun, String runOfStep) {
            this.tenant = tenantOfRun;
            this.runId = runOfStep;
            return this;
        }

        public StepBuilder kind(StepKind value) {
            this.kind = value;
            return this;
        }

        public StepBuilder name(String value) {
            this.name = value;
            return this;
        }

        public StepBuilder parent(String value) {
            this.parent = value;
            return this;
        }

        public StepBuilder agent(String agent, String version) {
            this.agentName = agent;
            this.agentVersion = version;
            return this;
        }

        public StepBuilder model(String value) {
            this.model = value;
            return this;
        }

        /** Start and duration in milliseconds after T0. */
        public StepBuilder at(long startMillis, long durationMillis) {
            this.startNanos = T0_NANOS + startMillis * 1_000_000;
            this.endNanos = startNanos + durationMillis * 1_000_000;
            return this;
        }

        public StepBuilder failed(String type, String message) {
            this.status = StepStatus.ERROR;
            this.errorType = type;
            this.errorMessage = message;
            return this;
        }

        public StepBuilder exceptionRecorded(String message) {
            this.errorMessage = message;
            return this;
        }

        public StepBuilder status(StepStatus value) {
            this.status = value;
            return this;
        }

        public StepBuilder tokens(long input, long output) {
            this.tokens = new TokenUsage(input, output, 0, 0, 0);
            return this;
        }

        public StepBuilder cost(double value) {
            this.cost = value;
            return this;
        }

        public StepBuilder finish(String value) {
            this.finish = value;
            return this;
        }

        public StepBuilder tool(String tool, String hash) {
            this.toolName = tool;
            this.argsHash = hash;
            return this;
        }

        public StepBuilder callId(String value) {
            this.toolCallId = value;
            return this;
        }

        public StepBuilder errorShapedOutput() {
            this.errorShapedOutput = true;
            return this;
        }

        public StepBuilder requests(String callId, String tool, String hash) {
            this.requests.add(new ToolCallRequest(callId, tool, hash));
            return this;
        }

        public StepBuilder subject(String value) {
            this.subject = value;
            return this;
        }

        public StepBuilder claims(String value) {
            this.claim = value;
            return this;
        }

        public StepBuilder judged(double score, String label) {
            this.evaluations.add(new Evaluation("correctness", score, label));
            return this;
        }

        public StepBuilder output(long chars, String hash) {
            this.outputChars = chars;
            this.outputHash = hash;
            return this;
        }

        public Step build() {
            return new Step(tenant, "claims-service", agentName, agentVersion, runId, stepId, parent, kind, name, name,
                    "", kind == StepKind.LLM ? "openai" : "", model, startNanos, endNanos, status, errorType, errorMessage,
                    tokens, cost, finish, toolName, toolCallId, argsHash, errorShapedOutput, requests, "conv-1", subject,
                    claim, evaluations, 10, outputChars, outputHash);
        }
    }
}
