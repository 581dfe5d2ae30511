package dev.agentwatch.detectors.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.detectors.DetectionConfig;
import dev.agentwatch.detectors.DetectorMetrics;
import dev.agentwatch.detectors.SharedCaptures;
import dev.agentwatch.detectors.normalize.NormalizeMetrics;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.PriceTable;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunStatus;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.otlp.OtlpSpanMapper;
import dev.agentwatch.topics.Topics;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real OpenInference LangChain.js captures through the runtime's run topology (normalization
 * and assembly in one): each req-N.bin body is one {@code otlp_spans} record, as the collector
 * writes it.
 */
class CaptureDetectionTest {

    record Outcome(List<Run> runs, List<Finding> findings) {
    }

    static Outcome detect(String scenario) {
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "capture-runs");
        NormalizeMetrics normalizeMetrics = new NormalizeMetrics();
        try (TopologyTestDriver driver = new TopologyTestDriver(RunTopology.buildFromSpans(DetectionConfig.defaults(),
                new OtlpSpanMapper(PriceTable.defaults()), normalizeMetrics, new DetectorMetrics()), props)) {
            TestInputTopic<String, byte[]> spans = driver.createInputTopic(Topics.OTLP_SPANS.name(),
                    Topics.OTLP_SPANS.keySerde().serializer(), Topics.OTLP_SPANS.valueSerde().serializer());
            for (byte[] body : SharedCaptures.requestBodies(scenario)) {
                spans.pipeInput("trace", body);
            }
            TestOutputTopic<String, Run> runOut = driver.createOutputTopic(Topics.RUNS.name(),
                    Topics.RUNS.keySerde().deserializer(), Topics.RUNS.valueSerde().deserializer());
            TestOutputTopic<String, Finding> findingOut = driver.createOutputTopic(Topics.FINDINGS.name(),
                    Topics.FINDINGS.keySerde().deserializer(), Topics.FINDINGS.valueSerde().deserializer());
            List<Step> steps = driver.createOutputTopic(Topics.STEPS.name(), Topics.STEPS.keySerde().deserializer(),
                    Topics.STEPS.valueSerde().deserializer()).readValuesToList().stream()
                    .flatMap(batch -> batch.steps().stream()).toList();
            assertThat(steps).hasSize((int) normalizeMetrics.steps());
            return new Outcome(runOut.readValuesToList(), findingOut.readValuesToList());
        }
    }

    @ParameterizedTest
    @CsvSource({"ok,,4", "tool_error,swallowed_error,4", "loop,loop,9", "llm_error,,2"})
    void eachCaptureYieldsExactlyTheFindingsItsFailureCalls(String scenario, String detector, int steps) {
        Outcome outcome = detect(scenario);

        assertThat(outcome.runs()).singleElement().satisfies(run -> {
            assertThat(run.steps()).isEqualTo(steps);
            assertThat(run.agentName()).isEqualTo("weather_agent");
            assertThat(run.status()).isEqualTo(scenario.equals("llm_error") ? RunStatus.ERROR : RunStatus.OK);
        });
        if (detector == null) {
            assertThat(outcome.findings()).as(scenario).isEmpty();
        } else {
            assertThat(outcome.findings()).as(scenario).extracting(Finding::detector).containsExactly(detector);
            assertThat(outcome.findings().getFirst().agentName()).isEqualTo("weather_agent");
        }
    }
}
