package dev.agentwatch.detectors.runs;

import static dev.agentwatch.detectors.TestRuns.T0_NANOS;
import static dev.agentwatch.detectors.TestRuns.llm;
import static dev.agentwatch.detectors.TestRuns.root;
import static dev.agentwatch.detectors.TestRuns.tool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.detectors.TestRuns;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepSample;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class SampleRecordsTest {
    private static final long MINUTE = 60_000;
    private static final long T0_MILLIS = T0_NANOS / 1_000_000;
    private static final LongUnaryOperator AS_IS = millis -> millis;

    private static List<Step> steps(TestRuns.StepBuilder... builders) {
        return Arrays.stream(builders).map(TestRuns.StepBuilder::build).toList();
    }

    private static List<SampleRecords> records(List<Step> steps, LongUnaryOperator stamp) {
        Run run = RunSummarizer.summarize(steps, T0_MILLIS + MINUTE);
        return SampleRecords.of(steps, run, MINUTE, stamp);
    }

    @Test
    void aRunsStepsTravelOneRecordPerMetricKeyInTheOrderTheKeysFirstAppear() {
        List<Step> steps = steps(llm("0000000000000001", 0), tool("0000000000000002", "lookup_policy", "h", 600),
                llm("0000000000000003", 1000), root().at(0, 2000));

        List<SampleRecords> records = records(steps, AS_IS);

        assertThat(records).extracting(r -> r.samples().samples().stream().map(StepSample::stepId).toList())
                .containsExactly(List.of("0000000000000001", "0000000000000003"), List.of("0000000000000002"),
                        List.of("00000000000000aa"));
        assertThat(records).allSatisfy(r -> assertThat(r.metricKey()).isEqualTo(r.samples().metricKey()));
        assertThat(records.getFirst().timestamp()).as("its latest step's end").isEqualTo(T0_MILLIS + 1500);
        assertThat(records).flatMap(r -> r.samples().samples()).as("with the run's agent")
                .allSatisfy(sample -> assertThat(sample.agentName()).isEqualTo("claims-agent"));
    }

    @Test
    void aKeysStepsOnBothSidesOfAMinuteTravelInARecordPerMinute() {
        // T0 is 6 s into its minute: the second call ends 500 ms into the next one.
        assertThat(Math.floorMod(T0_MILLIS, MINUTE)).isEqualTo(6_000);
        List<Step> steps = steps(llm("0000000000000001", 0), llm("0000000000000002", 54_000), root().at(0, 55_000));

        List<SampleRecords> records = records(steps, AS_IS);

        assertThat(records).filteredOn(r -> r.metricKey().contains("gpt-4o-mini"))
                .extracting(r -> r.samples().samples().size(), r -> Math.floorDiv(r.timestamp(), MINUTE))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, Math.floorDiv(T0_MILLIS, MINUTE)),
                        org.assertj.core.groups.Tuple.tuple(1, Math.floorDiv(T0_MILLIS, MINUTE) + 1));
    }

    @Test
    void groupsByTheRecordTimeTheStepsWillHaveNotByTheirOwn() {
        List<Step> steps = steps(llm("0000000000000001", 0), llm("0000000000000002", 54_000), root().at(0, 55_000));
        long capped = T0_MILLIS + 10_000;

        List<SampleRecords> records = records(steps, millis -> Math.min(millis, capped));

        assertThat(records).filteredOn(r -> r.metricKey().contains("gpt-4o-mini")).singleElement()
                .satisfies(r -> {
                    assertThat(r.samples().samples()).hasSize(2);
                    assertThat(r.timestamp()).isEqualTo(capped);
                });
    }
}
