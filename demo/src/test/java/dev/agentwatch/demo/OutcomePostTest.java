package dev.agentwatch.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomePostTest {

    @Test
    void theBodyHasTheApiFieldsAndNamesEitherRunOrSubject() {
        OutcomePost byRun = new OutcomePost("abc", "", "incorrect", "denied", "customer",
                Instant.parse("2026-11-12T08:30:00Z"), "appeal", Map.of("fleet_id", "demo"));
        assertThat(byRun.toJson()).isEqualTo("{\"run_id\":\"abc\",\"verdict\":\"incorrect\",\"actual_value\":\"denied\","
                + "\"source\":\"customer\",\"observed_at\":\"2026-11-12T08:30:00Z\",\"reason\":\"appeal\","
                + "\"attributes\":{\"fleet_id\":\"demo\"}}");
        OutcomePost bySubject = new OutcomePost("", "CLM-1", "correct", "approved", "human_review", Instant.EPOCH, "", Map.of());
        assertThat(bySubject.toJson()).startsWith("{\"subject_id\":\"CLM-1\",").doesNotContain("run_id");
        assertThatThrownBy(() -> new OutcomePost("a", "b", "correct", "", "judge", Instant.EPOCH, "", Map.of()))
                .hasMessageContaining("either");
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        Instant now = Instant.parse("2026-11-12T08:30:00Z");
        assertThat(OutcomeClient.parseRetryAfter("7", now)).hasValue(Duration.ofSeconds(7));
        assertThat(OutcomeClient.parseRetryAfter("Thu, 12 Nov 2026 08:30:05 GMT", now)).hasValue(Duration.ofSeconds(5));
        assertThat(OutcomeClient.parseRetryAfter("Thu, 12 Nov 2026 08:29:00 GMT", now)).hasValue(Duration.ZERO);
        assertThat(OutcomeClient.parseRetryAfter("soon", now)).isEmpty();
    }
}
