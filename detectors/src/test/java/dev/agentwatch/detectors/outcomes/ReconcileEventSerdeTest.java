package dev.agentwatch.detectors.outcomes;

import static dev.agentwatch.detectors.outcomes.Fixtures.T0;
import static dev.agentwatch.detectors.outcomes.Fixtures.finding;
import static dev.agentwatch.detectors.outcomes.Fixtures.outcomeForSubject;
import static dev.agentwatch.detectors.outcomes.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentwatch.model.Severity;
import dev.agentwatch.model.Verdict;
import dev.agentwatch.topics.JsonSerde;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ReconcileEventSerdeTest {
    private final ReconcileEventSerde serde = new ReconcileEventSerde();

    private ReconcileEvent roundTrip(ReconcileEvent event) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", event));
    }

    @Test
    void roundTripsEveryVariantIncludingARunWithoutJudgeScore() {
        ReconcileEvent run = new ReconcileEvent.RunArrived(run("r1").subject("claim-1").build());
        ReconcileEvent outcome = ReconcileEvent.OutcomeArrived
                .bySubject(outcomeForSubject("o1", "claim-1", Verdict.INCORRECT, T0)).resolvedTo("r1");
        ReconcileEvent finding = new ReconcileEvent.FindingArrived(finding("loop", Severity.WARNING, "r1", "s1"));

        assertThat(roundTrip(run)).isEqualTo(run);
        assertThat(((ReconcileEvent.RunArrived) roundTrip(run)).run().judgeScore()).isNaN();
        assertThat(roundTrip(outcome)).isEqualTo(outcome);
        assertThat(roundTrip(finding)).isEqualTo(finding);
    }

    @Test
    void sendsRunsInTheirBinaryFormAndStillReadsTheJsonOfEarlierReleases() {
        ReconcileEvent.RunArrived run = new ReconcileEvent.RunArrived(run("r1").subject("claim-1").claim("approved").build());
        byte[] json = JsonSerde.of(ReconcileEvent.RunArrived.class).serializer().serialize("t", run);
        byte[] earlier = new byte[json.length + 1];
        earlier[0] = 'R';
        System.arraycopy(json, 0, earlier, 1, json.length);

        assertThat(serde.serializer().serialize("t", run)[0]).isEqualTo((byte) 'r');
        assertThat(serde.deserializer().deserialize("t", earlier)).isEqualTo(run);
    }

    @Test
    void refusesAnUnknownTag() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {'X', '{', '}'}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown reconcile event tag");
    }

    @Test
    void theRateHistoriesRoundTripThroughTheirStoreSerde() {
        // The run ledgers' store serde: RunLedgerCodecTest.
        JsonSerde<AgentRateHistory> histories = JsonSerde.of(AgentRateHistory.class);
        AgentRateHistory history = AgentRateHistory.empty().apply(new RateDelta("acme", "a", "v1", "r1", 0, 1, 1),
                java.time.Duration.ofHours(6), java.time.Duration.ofDays(7));
        assertThat(histories.deserializer().deserialize("t", histories.serializer().serialize("t", history)))
                .isEqualTo(history);
    }
}
