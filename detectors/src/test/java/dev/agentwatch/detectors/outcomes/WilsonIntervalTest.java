package dev.agentwatch.detectors.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WilsonIntervalTest {
    @Test
    void matchesPublishedValues() {
        // Reference values: Newcombe (1998), Table I, and the usual textbook 5/10 example.
        WilsonInterval half = WilsonInterval.of(5, 10);
        assertThat(half.lower()).isCloseTo(0.2366, within(1e-4));
        assertThat(half.upper()).isCloseTo(0.7634, within(1e-4));

        WilsonInterval none = WilsonInterval.of(0, 10);
        assertThat(none.lower()).isEqualTo(0.0);
        assertThat(none.upper()).isCloseTo(0.2775, within(1e-4));

        WilsonInterval newcombe = WilsonInterval.of(81, 263);
        assertThat(newcombe.lower()).isCloseTo(0.2553, within(1e-4));
        assertThat(newcombe.upper()).isCloseTo(0.3662, within(1e-4));
    }

    @Test
    void staysInsideZeroAndOneAtTheExtremes() {
        WilsonInterval all = WilsonInterval.of(10, 10);

        assertThat(all.upper()).isEqualTo(1.0);
        assertThat(all.lower()).isCloseTo(0.7225, within(1e-4));
    }

    @Test
    void noTrialsMeansNoRateAndNoInformation() {
        WilsonInterval empty = WilsonInterval.of(0, 0);

        assertThat(empty.rate()).isNaN();
        assertThat(empty.lower()).isEqualTo(0.0);
        assertThat(empty.upper()).isEqualTo(1.0);
    }

    @Test
    void narrowsAsTrialsGrow() {
        WilsonInterval small = WilsonInterval.of(5, 50);
        WilsonInterval large = WilsonInterval.of(500, 5000);

        assertThat(large.upper() - large.lower()).isLessThan((small.upper() - small.lower()) / 5);
    }

    @Test
    void refusesMoreSuccessesThanTrials() {
        assertThatThrownBy(() -> WilsonInterval.of(3, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
