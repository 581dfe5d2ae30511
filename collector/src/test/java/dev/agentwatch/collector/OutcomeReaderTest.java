package dev.agentwatch.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.collector.OutcomeReader.FieldError;
import dev.agentwatch.collector.OutcomeReader.Read;
import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutcomeReaderTest {
    private static final long NOW = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
    private static final String RUN = "4da2884fea96289c52c8b1eb3cecc909";

    private static Read read(String json) {
        return OutcomeReader.read(json.getBytes(StandardCharsets.UTF_8), "acme", NOW);
    }

    @Test
    void readsOneCompleteOutcome() {
        Read read = read("""
                {"outcome_id":"rev-17","run_id":"4DA2884FEA96289C52C8B1EB3CECC909","verdict":"incorrect",
                 "actual_value":"denied","source":"human_review","observed_at":"2026-02-28T09:30:00+01:00",
                 "reason":"refund was not allowed","attributes":{"reviewer":"kim"}}""");

        assertThat(read.errors()).isEmpty();
        assertThat(read.outcomes()).containsExactly(new Outcome("rev-17", "acme", RUN, "", Verdict.INCORRECT, "denied",
                "human_review", Instant.parse("2026-02-28T08:30:00Z").toEpochMilli(), NOW, "refund was not allowed",
                java.util.Map.of("reviewer", "kim")));
    }

    @Test
    void readsArraysAndWrappedBatchesWithDefaults() {
        Read array = read("[{\"subject_id\":\"claim-1\",\"verdict\":\"correct\",\"source\":\"customer\"},"
                + "{\"run_id\":\"" + RUN + "\",\"actual_value\":\"refunded\",\"source\":\"downstream_system\",\"observed_at\":"
                + (NOW - 1000) + "}]");
        Read wrapped = read("{\"outcomes\":[{\"subject_id\":\"claim-1\",\"verdict\":\"PARTIAL\",\"source\":\"judge\"}]}");

        assertThat(array.errors()).isEmpty();
        assertThat(array.outcomes()).hasSize(2);
        Outcome first = array.outcomes().get(0);
        assertThat(first.runId()).isEmpty();
        assertThat(first.subjectId()).isEqualTo("claim-1");
        assertThat(first.observedEpochMillis()).isEqualTo(NOW);
        assertThat(first.outcomeId()).startsWith("oc_").hasSize(35);
        assertThat(array.outcomes().get(1).verdict()).isEqualTo(Verdict.UNSPECIFIED);
        assertThat(array.outcomes().get(1).observedEpochMillis()).isEqualTo(NOW - 1000);
        assertThat(wrapped.outcomes()).singleElement().extracting(Outcome::verdict).isEqualTo(Verdict.PARTIAL);
    }

    @Test
    void derivesTheSameIdForARetryAndAnotherForOtherContent() {
        String body = "{\"run_id\":\"" + RUN + "\",\"verdict\":\"correct\",\"source\":\"judge\"}";
        String retry = OutcomeReader.read(body.getBytes(StandardCharsets.UTF_8), "acme", NOW + 60_000).outcomes().getFirst().outcomeId();

        assertThat(read(body).outcomes().getFirst().outcomeId()).isEqualTo(retry);
        assertThat(read(body.replace("correct", "incorrect")).outcomes().getFirst().outcomeId()).isNotEqualTo(retry);
        assertThat(OutcomeReader.read(body.getBytes(StandardCharsets.UTF_8), "other", NOW).outcomes().getFirst().outcomeId())
                .isNotEqualTo(retry);
    }

    @Test
    void namesEveryBadFieldOfEveryOutcomeAndRefusesTheWholeBatch() {
        Read read = read("""
                [{"run_id":"4da2884f","verdict":"maybe","source":"Human Review!","observed_at":"yesterday",
                  "attributes":{"n":5},"verdit":"x"},
                 {"verdict":"correct","source":"judge"},
                 {"subject_id":"c-9","source":"judge"},
                 {"subject_id":"c-9","verdict":"correct","observed_at":1700000000},
                 {"subject_id":"c-9","verdict":"correct","source":"judge"}]""");

        assertThat(read.outcomes()).isEmpty();
        assertThat(read.errors()).extracting(FieldError::index, FieldError::field).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(0, "verdit"),
                org.assertj.core.groups.Tuple.tuple(0, "run_id"),
                org.assertj.core.groups.Tuple.tuple(0, "verdict"),
                org.assertj.core.groups.Tuple.tuple(0, "source"),
                org.assertj.core.groups.Tuple.tuple(0, "observed_at"),
                org.assertj.core.groups.Tuple.tuple(0, "attributes.n"),
                org.assertj.core.groups.Tuple.tuple(1, "run_id"),
                org.assertj.core.groups.Tuple.tuple(2, "verdict"),
                org.assertj.core.groups.Tuple.tuple(3, "source"),
                org.assertj.core.groups.Tuple.tuple(3, "observed_at"));
        assertThat(read.errors()).filteredOn(e -> e.field().equals("verdict") && e.index() == 0).singleElement()
                .extracting(FieldError::message).asString().contains("correct, incorrect or partial").contains("maybe");
        assertThat(read.errors()).filteredOn(e -> e.index() == 3 && e.field().equals("observed_at")).singleElement()
                .extracting(FieldError::message).asString().contains("epoch seconds instead of milliseconds");
    }

    @Test
    void refusesWrongTypesEmptyStringsAndFutureTimes() {
        Read read = read("{\"run_id\":42,\"subject_id\":\"\",\"verdict\":true,\"source\":\"judge\","
                + "\"observed_at\":\"2026-03-05T00:00:00Z\",\"attributes\":[1]}");

        assertThat(read.errors()).extracting(FieldError::field)
                .containsExactlyInAnyOrder("run_id", "subject_id", "verdict", "observed_at", "attributes");
        assertThat(read.errors()).filteredOn(e -> e.field().equals("run_id")).singleElement()
                .extracting(FieldError::message).asString().contains("must be a string");
        assertThat(read.errors()).filteredOn(e -> e.field().equals("observed_at")).singleElement()
                .extracting(FieldError::message).asString().contains("future");
    }

    /** An explicit null is a field left out: refused with the reason, not thrown from the outcome's constructor. */
    @Test
    void treatsNullFieldsAsLeftOut() {
        assertThat(read("{\"run_id\":\"" + RUN + "\",\"verdict\":\"correct\",\"source\":null}").errors())
                .singleElement().extracting(FieldError::field).isEqualTo("source");
        assertThat(read("{\"run_id\":\"" + RUN + "\",\"verdict\":null,\"actual_value\":null,\"source\":\"judge\"}")
                .errors()).singleElement().extracting(FieldError::field).isEqualTo("verdict");
        assertThat(read("{\"run_id\":null,\"subject_id\":null,\"verdict\":\"correct\",\"source\":\"judge\"}").errors())
                .singleElement().extracting(FieldError::field).isEqualTo("run_id");
    }

    @Test
    void refusesBodiesThatAreNotOutcomes() {
        assertThat(read("{\"outcomes\": 3}").errors()).singleElement().extracting(FieldError::field).isEqualTo("outcomes");
        assertThat(read("not json").errors()).singleElement().satisfies(e -> {
            assertThat(e.index()).isEqualTo(-1);
            assertThat(e.message()).contains("malformed JSON");
        });
        assertThat(read("").errors()).singleElement().extracting(FieldError::message).asString().contains("empty body");
        assertThat(read("[1]").errors()).singleElement().extracting(FieldError::message).asString().contains("JSON object");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i <= OutcomeReader.MAX_OUTCOMES; i++) {
            many.append(i == 0 ? "" : ",").append("{\"subject_id\":\"s\",\"verdict\":\"correct\",\"source\":\"judge\"}");
        }
        assertThat(read(many.append("]").toString()).errors()).singleElement()
                .extracting(FieldError::message).asString().contains("at most 1000");
        String empties = "[" + "{},".repeat((int) OutcomeReader.MAX_TOKENS) + "{}]";
        assertThat(read(empties).errors()).as("a tree of that many nodes is not built").singleElement()
                .extracting(FieldError::message).asString().contains("Token count (200001) exceeds the maximum");
    }
}
