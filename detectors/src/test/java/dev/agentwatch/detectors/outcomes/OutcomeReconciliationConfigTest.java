package dev.agentwatch.detectors.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutcomeReconciliationConfigTest {
    private static final OutcomeReconciliationConfig DEFAULTS = OutcomeReconciliationConfig.defaults();

    private static OutcomeReconciliationConfig withVocabularies(Set<String> success, Set<String> failure) {
        return new OutcomeReconciliationConfig(success, failure, Set.of(), 0.5, 0.4, 0.05, Duration.ofDays(30),
                Duration.ofMinutes(2), Map.of(), Duration.ofHours(6), Duration.ofDays(7), 20, 100);
    }

    @Test
    void normalizesVocabulariesSoSpellingDoesNotMatter() {
        OutcomeReconciliationConfig config = withVocabularies(Set.of(" Refund Issued "), Set.of("Gave-Up"));

        assertThat(config.successVocabulary()).containsExactly("refund_issued");
        assertThat(config.failureVocabulary()).containsExactly("gave_up");
    }

    @Test
    void refusesAClaimInTwoVocabularies() {
        assertThatThrownBy(() -> withVocabularies(Set.of("done"), Set.of("DONE")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[done]");
    }

    @Test
    void refusesOutOfRangeNumbersNamingTheSetting() {
        assertThatThrownBy(() -> new OutcomeReconciliationConfig(Set.of("ok"), Set.of(), Set.of(), 0.5, 0.4, 1.5,
                Duration.ofDays(30), Duration.ofMinutes(2), Map.of(), Duration.ofHours(6), Duration.ofDays(7), 20, 100))
                .hasMessageContaining("outcomes.audit.share");
        assertThatThrownBy(() -> new OutcomeReconciliationConfig(Set.of("ok"), Set.of(), Set.of(), 1.0, 0.4, 0.05,
                Duration.ofDays(30), Duration.ofMinutes(2), Map.of(), Duration.ofHours(6), Duration.ofDays(7), 20, 100))
                .hasMessageContaining("outcomes.judge.approval.threshold");
        assertThatThrownBy(() -> DEFAULTS.withRates(Duration.ofMinutes(90), Duration.ofDays(7), 20, 100))
                .hasMessageContaining("outcomes.rate.window").hasMessageContaining("whole number of hours");
    }

    @Test
    void refusesAnExpectationWindowLongerThanTheRetention() {
        assertThatThrownBy(() -> DEFAULTS.withExpectedOutcomeWindows(Map.of("claims-agent", Duration.ofDays(45))))
                .hasMessageContaining("outcomes.expected.windows[claims-agent]")
                .hasMessageContaining("longer than outcomes.retention");
    }

    @Test
    void refusesASettleDelayAsLongAsTheRetention() {
        assertThatThrownBy(() -> DEFAULTS.withRetention(Duration.ofHours(1), Duration.ofHours(1)))
                .hasMessageContaining("outcomes.subject.settle");
    }
}
