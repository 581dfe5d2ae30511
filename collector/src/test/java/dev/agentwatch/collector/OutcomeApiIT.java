package dev.agentwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentwatch.collector.Ingest.Tenant;
import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Verdict;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code POST /v1/outcomes} against the real broker. */
@Timeout(180)
class OutcomeApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = "4da2884fea96289c52c8b1eb3cecc909";
    private static final Tenant TENANT = Tenant.unique("outcomes");
    private static Collector collector;

    @BeforeAll
    static void start() {
        collector = Collector.start(Ingest.config(TENANT));
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    private static HttpResponse<byte[]> post(String body, String key) {
        return Ingest.post(collector, "/v1/outcomes", body.getBytes(StandardCharsets.UTF_8), "application/json", key, null);
    }

    @Test
    void acceptsSingleAndBatchedOutcomesForTheKeysTenantOnlyAfterKafkaHasThem() throws Exception {
        Tenant tenant = Tenant.unique("outcomes-ok");
        try (Collector own = Collector.start(Ingest.config(tenant))) {
            String single = "{\"run_id\":\"" + RUN + "\",\"verdict\":\"incorrect\",\"actual_value\":\"denied\","
                    + "\"source\":\"human_review\",\"reason\":\"refund not allowed\",\"attributes\":{\"reviewer\":\"kim\"}}";
            HttpResponse<byte[]> one = Ingest.post(own, "/v1/outcomes", single.getBytes(StandardCharsets.UTF_8),
                    "application/json", tenant.key(), null);
            HttpResponse<byte[]> retry = Ingest.post(own, "/v1/outcomes", single.getBytes(StandardCharsets.UTF_8),
                    "application/json", tenant.key(), null);
            HttpResponse<byte[]> batch = Ingest.post(own, "/v1/outcomes", ("{\"outcomes\":["
                    + "{\"outcome_id\":\"crm-1\",\"subject_id\":\"claim-7\",\"verdict\":\"correct\",\"source\":\"downstream_system\","
                    + "\"observed_at\":\"2026-01-02T03:04:05Z\"},"
                    + "{\"subject_id\":\"claim-8\",\"actual_value\":\"reversed\",\"source\":\"customer\",\"observed_at\":1767225600000}]}")
                    .getBytes(StandardCharsets.UTF_8), "application/json; charset=utf-8", tenant.key(), null);

            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(Ingest.text(one)).isEqualTo("{\"accepted\":1}");
            assertThat(retry.statusCode()).isEqualTo(200);
            assertThat(Ingest.text(batch)).isEqualTo("{\"accepted\":2}");
            assertThat(own.metrics().outcomesAccepted()).isEqualTo(4);
        }

        List<Outcome> stored = Ingest.outcomes(tenant.name(), 4);
        assertThat(stored).allSatisfy(o -> assertThat(o.tenant()).isEqualTo(tenant.name()));
        List<Outcome> forRun = stored.stream().filter(o -> o.runId().equals(RUN)).toList();
        assertThat(forRun).hasSize(2).extracting(Outcome::outcomeId).as("a retry keeps its derived id").containsOnly(
                forRun.getFirst().outcomeId());
        assertThat(forRun.getFirst().verdict()).isEqualTo(Verdict.INCORRECT);
        assertThat(forRun.getFirst().attributes()).containsEntry("reviewer", "kim");
        assertThat(stored).filteredOn(o -> o.outcomeId().equals("crm-1")).singleElement().satisfies(o -> {
            assertThat(o.subjectId()).isEqualTo("claim-7");
            assertThat(o.key()).isEqualTo("subject:claim-7");
            assertThat(o.observedEpochMillis()).isEqualTo(java.time.Instant.parse("2026-01-02T03:04:05Z").toEpochMilli());
        });
        assertThat(stored).filteredOn(o -> o.subjectId().equals("claim-8")).singleElement()
                .extracting(Outcome::verdict).isEqualTo(Verdict.UNSPECIFIED);
    }

    @Test
    void namesEveryBadFieldAndStoresNothingOfTheBatch() throws Exception {
        HttpResponse<byte[]> response = post("[{\"subject_id\":\"claim-1\",\"verdict\":\"correct\",\"source\":\"judge\"},"
                + "{\"run_id\":\"xyz\",\"verdict\":\"wrong\",\"tenant\":\"someone-else\"}]", TENANT.key());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode errors = JSON.readTree(response.body()).get("errors");
        assertThat(errors).extracting(e -> e.get("index").asInt() + ":" + e.get("field").asText())
                .containsExactlyInAnyOrder("1:run_id", "1:verdict", "1:source", "1:tenant");
        assertThat(errors).allSatisfy(e -> assertThat(e.get("message").asText()).isNotBlank());
        assertThat(collector.metrics().outcomesAccepted()).isZero();
        assertThat(collector.metrics().outcomesRejected("invalid")).isPositive();
    }

    @Test
    void refusesWithoutAValidKeyOrJson() throws Exception {
        String valid = "{\"subject_id\":\"claim-1\",\"verdict\":\"correct\",\"source\":\"judge\"}";

        HttpResponse<byte[]> noKey = post(valid, null);
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(noKey.body()).get("errors").get(0).get("message").asText()).contains("missing API key");
        assertThat(post(valid, "not-a-key").statusCode()).isEqualTo(401);
        assertThat(Ingest.post(collector, "/v1/outcomes", valid.getBytes(StandardCharsets.UTF_8), "text/csv",
                TENANT.key(), null).statusCode()).isEqualTo(415);
        HttpResponse<byte[]> malformed = post("{\"subject_id\":", TENANT.key());
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(Ingest.text(malformed)).contains("malformed JSON");
        assertThat(Ingest.get(collector, "/v1/outcomes").statusCode()).isEqualTo(405);
    }
}
