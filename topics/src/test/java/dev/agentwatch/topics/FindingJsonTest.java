package dev.agentwatch.topics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Severity;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FindingJsonTest {
    private static final Finding FIRING = new Finding("f1", "unfinished_run", Severity.WARNING, "acme", "claims-agent", "1.4.2",
            "0af7651916cd43dd8448eb211c80319c", "", "CLAIM-1", "run never finished", 1_795_923_246_000_000_000L,
            1_795_923_300_000L, Map.of("steps", "3"), Map.of("service", "claims-service"));

    @Test
    void aResolutionKeepsTheFindingsIdentityAndAddsTheStateToItsEvidence() {
        Finding resolution = FIRING.resolvedAt(1_795_923_900_000L, Map.of("resolved_by_step", "b7ad6b7169203331"));

        assertThat(FIRING.announcesResolution()).isFalse();
        assertThat(resolution.announcesResolution()).isTrue();
        assertThat(resolution.evidence()).containsEntry("state", "resolved").containsEntry("steps", "3")
                .containsEntry("resolved_by_step", "b7ad6b7169203331");
        assertThat(resolution.detectedEpochMillis()).isEqualTo(1_795_923_900_000L);
        assertThat(resolution).usingRecursiveComparison().ignoringFields("evidence", "detectedEpochMillis").isEqualTo(FIRING);
    }

    @Test
    void roundTripsOnTheFindingsTopicWithOnlyItsOwnFields() throws Exception {
        Finding resolution = FIRING.resolvedAt(1_795_923_900_000L, Map.of());
        byte[] json = Topics.FINDINGS.valueSerde().serializer().serialize("t", resolution);

        assertThat(Topics.FINDINGS.valueSerde().deserializer().deserialize("t", json)).isEqualTo(resolution);
        List<String> fields = new ArrayList<>();
        new ObjectMapper().readTree(json).fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("the record's components, no derived property such as announcesResolution")
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Finding.class.getRecordComponents())
                        .map(RecordComponent::getName).toList());
    }
}
