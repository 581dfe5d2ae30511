package dev.agentwatch.detectors.outcomes;

import static dev.agentwatch.detectors.outcomes.Fixtures.T0;
import static dev.agentwatch.detectors.outcomes.Fixtures.finding;
import static dev.agentwatch.detectors.outcomes.Fixtures.outcome;
import static dev.agentwatch.detectors.outcomes.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentwatch.detectors.outcomes.RunLedger.MatchedOutcome;
import dev.agentwatch.detectors.outcomes.RunLedger.RateContribution;
import dev.agentwatch.detectors.outcomes.RunLedger.RelatedFinding;
import dev.agentwatch.model.Reconciliation.MatchedBy;
import dev.agentwatch.model.Severity;
import dev.agentwatch.model.Verdict;
import dev.agentwatch.topics.JsonSerde;
import java.time.Duration;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class RunLedgerCodecTest {
    private final Serde<RunLedger> serde = RunLedgerCodec.serde();

    private RunLedger roundTrip(RunLedger ledger) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", ledger));
    }

    /** Every part of a ledger filled, a summary longer than writeUTF takes and not ASCII included. */
    private static RunLedger fullLedger() {
        RunLedger ledger = RunLedger.empty().withRun(run("r1").subject("claim-1").claim("approved").build()).orElseThrow()
                .withOutcome(new MatchedOutcome(outcome("o1", "acme", "r1", "claim-1", Verdict.INCORRECT, "reversed",
                        "human_review", T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1))), MatchedBy.SUBJECT))
                .orElseThrow()
                .withRelatedFinding(RelatedFinding.of(finding("loop", Severity.WARNING, "r1", "s1"))).orElseThrow()
                .withRelatedFinding(new RelatedFinding("fp-2", "swallowed_error", Severity.CRITICAL, "s2",
                        "tool failed – ünïcode " + "x".repeat(70_000), T0.toEpochMilli() * 1_000_000L)).orElseThrow()
                .withReported("silent_failure")
                .withContribution(new RateContribution("acme", "claims-agent", "1.4.2", T0.toEpochMilli(), true))
                .nextVersion()
                .touchedAt(T0.toEpochMilli());
        return ledger.withOverdueAt(T0.plus(Duration.ofDays(3)).toEpochMilli());
    }

    @Test
    void roundTripsAFullLedgerAndAnEmptyOne() {
        RunLedger full = fullLedger();

        assertThat(roundTrip(full)).isEqualTo(full);
        assertThat(roundTrip(full).relatedFindings()).extracting(RelatedFinding::summary)
                .anySatisfy(summary -> assertThat(summary).hasSize("tool failed – ünïcode ".length() + 70_000));
        assertThat(roundTrip(RunLedger.empty())).isEqualTo(RunLedger.empty());
    }

    @Test
    void isBinaryAndStillReadsTheJsonOfEarlierReleases() {
        RunLedger full = fullLedger();
        byte[] json = JsonSerde.of(RunLedger.class).serializer().serialize("t", full);

        assertThat(serde.serializer().serialize("t", full)[0]).isEqualTo((byte) 1);
        assertThat(serde.deserializer().deserialize("t", json)).isEqualTo(full);
    }

    @Test
    void refusesATruncatedLedger() {
        byte[] bytes = serde.serializer().serialize("t", fullLedger());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", truncated))
                .isInstanceOf(SerializationException.class).hasMessageContaining("RunLedger");
    }
}
