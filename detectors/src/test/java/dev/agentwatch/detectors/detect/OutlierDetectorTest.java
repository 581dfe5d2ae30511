package dev.agentwatch.detectors.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.model.Finding;
import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {
    private final OutlierDetector latency = new OutlierDetector(OutlierDetector.Quantity.LATENCY,
            OutlierDetector.Config.defaults());

    private static StepSample sample(int i, double millis, long tokens, double cost) {
        return new StepSample("acme", "claims-agent", "1.0", StepKind.LLM, "chat gpt-4o-mini", "gpt-4o-mini",
                String.format("%032x", i), String.format("%016x", i), "", 1_795_923_246_000_000_000L + i,
                (long) (millis * 1_000_000), false, tokens, 0, cost);
    }

    /** Feeds values in order; returns the findings of the last one. */
    private static List<Finding> feed(OutlierDetector detector, List<StepSample> samples) {
        Baseline state = detector.initialState();
        List<Finding> last = List.of();
        for (StepSample sample : samples) {
            Detection<Baseline> detection = detector.apply(state, sample);
            state = detection.state();
            last = detection.findings();
        }
        return last;
    }

    private static List<StepSample> steady(int count, double millis, long seed) {
        Random random = new Random(seed);
        List<StepSample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // ±25% lognormal-ish noise around the typical value
            samples.add(sample(i, millis * Math.exp(random.nextGaussian() * 0.25), 500, 0.001));
        }
        return samples;
    }

    @Test
    void flagsALatencyFarAboveAWarmBaseline() {
        List<StepSample> samples = steady(200, 800, 1);
        samples.add(sample(999, 12_000, 500, 0.001));

        List<Finding> findings = feed(latency, samples);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.detector()).isEqualTo("latency_outlier");
            assertThat(f.stepId()).isEqualTo(String.format("%016x", 999));
            assertThat(Double.parseDouble(f.evidence().get("ratio"))).isGreaterThan(10);
            assertThat(f.evidence()).containsEntry("baseline_samples", "200").containsEntry("unit", "ms");
        });
    }

    @Test
    void staysQuietUntilTheBaselineIsWarm() {
        List<StepSample> samples = steady(20, 800, 2);
        samples.add(sample(999, 50_000, 500, 0.001));

        assertThat(feed(latency, samples)).isEmpty();
    }

    @Test
    void normalVariationAndFasterStepsDoNotFire() {
        List<StepSample> samples = steady(500, 800, 3);
        Baseline state = latency.initialState();
        int fired = 0;
        for (StepSample sample : samples) {
            Detection<Baseline> detection = latency.apply(state, sample);
            state = detection.state();
            fired += detection.findings().size();
        }
        assertThat(fired).isZero();
        assertThat(latency.apply(state, sample(1000, 20, 500, 0.001)).findings()).isEmpty();
    }

    @Test
    void judgesTokensAndCostAndIgnoresStepsWithoutThem() {
        OutlierDetector tokens = new OutlierDetector(OutlierDetector.Quantity.TOKENS, OutlierDetector.Config.defaults());
        OutlierDetector cost = new OutlierDetector(OutlierDetector.Quantity.COST, OutlierDetector.Config.defaults());
        List<StepSample> samples = steady(100, 800, 4);
        samples.add(sample(999, 800, 40_000, 0.2));

        assertThat(feed(tokens, samples)).extracting(Finding::detector).containsExactly("token_outlier");
        assertThat(feed(cost, samples)).extracting(Finding::detector).containsExactly("cost_outlier");
        Baseline warm = tokens.apply(Baseline.EMPTY, samples.getFirst()).state();
        assertThat(tokens.apply(warm, sample(1, 800, 0, 0)).state()).isEqualTo(warm);
    }

    @Test
    void agentStepsSpanTheirChildrenAndAreNotJudged() {
        List<StepSample> samples = steady(100, 800, 5);
        Baseline state = feedState(samples);
        StepSample slowAgent = new StepSample("acme", "claims-agent", "1.0", StepKind.AGENT, "claims-agent", "",
                "r", "s", "", 1L, 60_000_000_000L, false, 0, 0, 0);

        assertThat(latency.apply(state, slowAgent).findings()).isEmpty();
    }

    private Baseline feedState(List<StepSample> samples) {
        Baseline state = latency.initialState();
        for (StepSample sample : samples) {
            state = latency.apply(state, sample).state();
        }
        return state;
    }

    @Test
    void oneSpikeDoesNotDragTheBaseline() {
        Baseline state = new Baseline(100, Math.log(800), 0.2);

        Baseline after = state.learn(1_000_000, 0.05, 4, 0.1);

        assertThat(after.typical()).isLessThan(800 * 1.05);
    }
}
