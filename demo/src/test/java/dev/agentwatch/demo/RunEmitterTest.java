package dev.agentwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.model.PriceTable;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepStatus;
import dev.agentwatch.model.otlp.OtlpSpanMapper;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plans played through the helper and the real SDK come out of agentwatch's mapper as the plan said. */
class RunEmitterTest {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final Map<AgentKind, OpenTelemetrySdk> sdks = new EnumMap<>(AgentKind.class);
    private final RunEmitter emitter;

    RunEmitterTest() {
        for (AgentKind agent : AgentKind.values()) {
            sdks.put(agent, OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                    .setResource(Resource.builder().put("service.name", agent.serviceName()).build())
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build());
        }
        emitter = new RunEmitter(sdks::get);
    }

    @AfterEach
    void close() {
        sdks.values().forEach(OpenTelemetrySdk::close);
    }

    @Test
    void everyPlannedStepBecomesAStepWithThePlannedTimesAndTheRunContext() throws Exception {
        List<RunPlan> plans = Plans.plans(11, FailureMix.defaults(), 400);
        Map<String, RunPlan> planByRun = new java.util.HashMap<>();
        for (RunPlan plan : plans) {
            planByRun.put(emitter.emit(plan), plan);
        }
        Map<String, List<Step>> stepsByRun = steps().stream().collect(Collectors.groupingBy(Step::runId));

        assertThat(stepsByRun.keySet()).isEqualTo(planByRun.keySet());
        planByRun.forEach((runId, plan) -> {
            List<Step> steps = stepsByRun.get(runId);
            assertThat(steps).hasSize(plan.spanCount());
            assertThat(steps).allSatisfy(s -> {
                assertThat(s.agentName()).isEqualTo(plan.agent().agentName());
                assertThat(s.subjectId()).isEqualTo(plan.subjectId());
                assertThat(s.service()).isEqualTo(plan.agent().serviceName());
            });
            List<Step> children = steps.stream().filter(s -> !s.isRoot())
                    .sorted(java.util.Comparator.comparingLong(Step::startEpochNanos)).toList();
            for (int i = 0; i < plan.steps().size(); i++) {
                PlannedStep planned = plan.steps().get(i);
                Step step = children.get(i);
                assertThat(step.startEpochNanos()).isEqualTo(nanos(planned.start()));
                assertThat(step.endEpochNanos()).isEqualTo(nanos(planned.end()));
                switch (planned) {
                    case PlannedStep.ModelCall call -> {
                        assertThat(step.kind()).isEqualTo(StepKind.LLM);
                        assertThat(step.model()).isEqualTo(call.responseModel());
                        assertThat(step.tokens().inputTokens()).isEqualTo(call.usage().inputTokens());
                        assertThat(step.finishReason()).isEqualTo(call.finishReason());
                        assertThat(step.requestedToolCalls()).extracting(r -> r.callId())
                                .containsExactlyElementsOf(call.requestedCalls().stream().map(PlannedStep.RequestedCall::callId).toList());
                    }
                    case PlannedStep.ToolExecution tool -> {
                        assertThat(step.kind()).isEqualTo(StepKind.TOOL);
                        assertThat(step.toolName()).isEqualTo(tool.toolName());
                        assertThat(step.toolCallId()).isEqualTo(tool.callId());
                        assertThat(step.status()).isEqualTo(tool.failed() ? StepStatus.ERROR : StepStatus.UNSET);
                    }
                    case PlannedStep.Handoff handoff -> assertThat(step.kind()).isEqualTo(StepKind.HANDOFF);
                }
            }
            List<Step> roots = steps.stream().filter(Step::isRoot).toList();
            if (plan.finished()) {
                assertThat(roots).singleElement().satisfies(root -> {
                    assertThat(root.kind()).isEqualTo(StepKind.AGENT);
                    assertThat(root.claimedOutcome()).isEqualTo(plan.claimedOutcome());
                    assertThat(root.evaluations()).singleElement().satisfies(e -> {
                        assertThat(e.name()).isEqualTo(JudgeVerdict.EVALUATION_NAME);
                        assertThat(e.score()).isEqualTo(plan.judge().orElseThrow().score());
                    });
                    assertThat(root.endEpochNanos()).isEqualTo(nanos(plan.end()));
                });
            } else {
                assertThat(roots).as("an unfinished run's root is never exported").isEmpty();
            }
        });
    }

    @Test
    void aLoopShowsAsIdenticalArgumentHashesOnTheRepeatedTool() throws Exception {
        RunPlan loop = Plans.plans(42, FailureMix.parse("none,loop=1"), 1).getFirst();
        emitter.emit(loop);
        Map<String, Long> byHash = steps().stream().filter(s -> s.kind() == StepKind.TOOL)
                .collect(Collectors.groupingBy(s -> s.toolName() + "/" + s.toolArgumentsHash(), Collectors.counting()));
        assertThat(byHash.values().stream().max(Long::compare).orElseThrow()).isGreaterThanOrEqualTo(5);
    }

    private List<Step> steps() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TraceRequestMarshaler.create(exporter.getFinishedSpanItems()).writeBinaryTo(out);
        return new OtlpSpanMapper(PriceTable.defaults()).map("acme", ExportTraceServiceRequest.parseFrom(out.toByteArray()));
    }

    private static long nanos(java.time.Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
