package dev.agentwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.collector.ApiKeys;
import dev.agentwatch.collector.Collector;
import dev.agentwatch.collector.CollectorConfig;
import dev.agentwatch.model.PriceTable;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepStatus;
import dev.agentwatch.model.otlp.OtlpSpanMapper;
import dev.agentwatch.testkit.TestServices;
import dev.agentwatch.topics.TopicCreator;
import dev.agentwatch.topics.Topics;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short fleet against the real collector and broker: every run's spans arrive in
 * {@code otlp_spans} for the key's tenant, and each labelled failure has its shape there.
 */
@Timeout(240)
class DemoFleetIT {
    private static final String KEY = "aw_demo_fleet_it_key";
    private static final String TENANT = "demo-it";
    private static Collector collector;

    @BeforeAll
    static void start() {
        String bootstrap = TestServices.kafkaBootstrap();
        TopicCreator.of(3, (short) 1).ensure(bootstrap, Topics.ALL);
        collector = Collector.start(CollectorConfig.of(bootstrap, Map.of(ApiKeys.hash(KEY), TENANT)).withPorts(0, CollectorConfig.NO_GRPC));
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void aShortFleetLandsInOtlpSpansWithTheShapesItsLabelsPromise(@TempDir Path dir) {
        String fleetId = "it" + Long.toHexString(System.nanoTime() & 0xffffffL);
        FleetConfig config = new FleetConfig(fleetId, 7, 100, List.of(AgentKind.values()), Duration.ofSeconds(3), 240,
                5760, FailureMix.parse("none,swallowed_tool_error=0.1,loop=0.1,unfinished_run=0.1,policy_violation=0.2,"
                + "truncated_output=0.1,missing_step=0.1"), 0.5,
                URI.create("http://127.0.0.1:" + collector.httpPort()), KEY, TENANT, false, false, Duration.ZERO,
                Optional.of(dir.resolve("labels.jsonl")), Optional.empty());

        FleetResult result;
        List<RunLabel> labels;
        try (DemoFleet fleet = DemoFleet.create(config)) {
            result = fleet.run();
            labels = fleet.labels();
        }

        assertThat(result.runs()).isEqualTo(240);
        assertThat(labels).hasSize(240);
        assertThat(LabelsFile.read(dir.resolve("labels.jsonl"))).isEqualTo(labels);
        Set<FailureKind> injected = labels.stream().flatMap(l -> l.failure().stream()).collect(Collectors.toSet());
        assertThat(injected).contains(FailureKind.LOOP, FailureKind.UNFINISHED_RUN, FailureKind.POLICY_VIOLATION,
                FailureKind.SWALLOWED_TOOL_ERROR);

        Map<String, List<Step>> steps = stepsOf(labels.stream().map(RunLabel::runId).collect(Collectors.toSet()), result.spans());
        assertThat(steps.keySet()).hasSize(240);
        for (RunLabel label : labels) {
            List<Step> run = steps.get(label.runId());
            assertThat(run).as("run %s", label.runId()).allSatisfy(s -> {
                assertThat(s.tenant()).isEqualTo(TENANT);
                assertThat(s.agentName()).isEqualTo(label.agentName());
                assertThat(s.subjectId()).isEqualTo(label.subjectId());
            });
            assertThat(run.stream().anyMatch(Step::isRoot)).isEqualTo(label.finished());
            if (label.failure().isEmpty()) {
                continue;
            }
            switch (label.failure().get()) {
                case LOOP -> assertThat(run.stream().filter(s -> s.kind() == StepKind.TOOL)
                        .collect(Collectors.groupingBy(s -> s.toolName() + s.toolArgumentsHash(), Collectors.counting()))
                        .values()).anyMatch(n -> n >= 5);
                case UNFINISHED_RUN -> assertThat(run).noneMatch(Step::isRoot).isNotEmpty();
                case POLICY_VIOLATION -> assertThat(run).anyMatch(s -> s.kind() == StepKind.TOOL
                        && Set.of("restart_service", "scale_deployment", "rollback_deployment").contains(s.toolName()));
                case SWALLOWED_TOOL_ERROR -> {
                    assertThat(run).anyMatch(s -> s.kind() == StepKind.TOOL && s.status() == StepStatus.ERROR);
                    assertThat(run).filteredOn(Step::isRoot).singleElement()
                            .satisfies(root -> assertThat(root.status()).isNotEqualTo(StepStatus.ERROR));
                }
                case TRUNCATED_OUTPUT -> assertThat(run).anyMatch(s -> s.finishReason().equals("length"));
                case MISSING_STEP -> {
                    Set<String> executed = run.stream().map(Step::toolCallId).collect(Collectors.toSet());
                    assertThat(run.stream().flatMap(s -> s.requestedToolCalls().stream()))
                            .anyMatch(r -> !executed.contains(r.callId()));
                }
                default -> {
                }
            }
        }
    }

    /** Reads otlp_spans until every span of {@code runIds} is seen, mapped to steps by run. */
    private static Map<String, List<Step>> stepsOf(Set<String> runIds, long spans) {
        OtlpSpanMapper mapper = new OtlpSpanMapper(PriceTable.defaults());
        Map<String, List<Step>> byRun = new HashMap<>();
        Set<String> seenSteps = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, TestServices.uniqueName("demo-fleet-it"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.OTLP_SPANS.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (seenSteps.size() < spans && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (!runIds.contains(record.key())) {
                        continue;
                    }
                    String tenant = new String(record.headers().lastHeader(Topics.TENANT_HEADER).value(), StandardCharsets.UTF_8);
                    for (Step step : mapper.map(tenant, parse(record.value()))) {
                        if (seenSteps.add(step.runId() + "/" + step.stepId())) {
                            byRun.computeIfAbsent(step.runId(), r -> new ArrayList<>()).add(step);
                        }
                    }
                }
            }
        }
        assertThat(seenSteps).as("spans of the fleet in otlp_spans").hasSize((int) spans);
        return byRun;
    }

    private static ExportTraceServiceRequest parse(byte[] bytes) {
        try {
            return ExportTraceServiceRequest.parseFrom(bytes);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
