package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.detectors.outcomes.ReconcileEvent.FindingArrived;
import dev.agentwatch.detectors.outcomes.ReconcileEvent.OutcomeArrived;
import dev.agentwatch.detectors.outcomes.ReconcileEvent.RunArrived;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Reconciliation;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunReview;
import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.JsonSerde;
import dev.agentwatch.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Delayed-outcome reconciliation: joins ground-truth outcomes back to the runs they judge, in
 * either arrival order, and reports what the comparison reveals.
 *
 * <pre>
 * agentwatch_runs ─┬─ judge routing ─────────────────────────────────────────→ agentwatch_run_reviews
 *                  ├─ with subject ─┐
 * agentwatch_outcomes ─ subject only┴→ [by tenant+subject] subject stage ─┐  (matched outcomes)
 *                  │    run id ────────────────────────────────────────────┤
 *                  └─ every run ───────────────────────────────────────────┤
 * agentwatch_findings ─ on a run, not ours ────────────────────────────────┴→ [by tenant+run] run stage
 *   run stage ─→ agentwatch_reconciliations, agentwatch_findings,
 *             └→ rate deltas [by tenant+agent] rate stage ─→ agentwatch_findings (rate spikes)
 * </pre>
 *
 * <h2>Why three keyings</h2>
 * Runs are keyed by run id and subject outcomes by subject, so a subject outcome cannot meet its
 * run by key. The subject stage re-keys both runs that carry a subject and subject-only outcomes
 * by tenant and subject (repartition {@value #BY_SUBJECT}), keeps each subject's recent runs and
 * waiting outcomes in a persistent store, matches each outcome to the run it judges (see
 * {@link SubjectLedger}) and sends it on keyed by run. The run stage then sees every outcome keyed
 * by tenant and run id (repartition {@value #BY_RUN}), whichever way it named its run; runs are
 * repartitioned too, so that co-partitioning never depends on the input topics' partition counts.
 * The rate stage needs per-agent state, hence the third keying ({@value #BY_AGENT}). Every key
 * starts with the tenant: an outcome can never meet another tenant's run.
 *
 * <h2>State</h2>
 * RocksDB stores backed by changelog topics, never the heap: {@value #SUBJECT_STORE},
 * {@value #RUN_STORE}, {@value #RATE_STORE}, and time indexes ({@value #SUBJECT_DUE_STORE},
 * {@value #RUN_DUE_STORE}) whose keys sort by event time, so that the overdue checks and the
 * retention clean-up are range scans driven by stream-time punctuation. State for a run or a
 * subject lives for the configured retention after the last event about it.
 *
 * <h2>Time</h2>
 * Event time throughout: a run's record time is when it closed, an outcome's when agentwatch
 * received it. Overdue checks and expiry fire when stream time (the largest record time a task
 * has seen) passes them, so a partition that receives nothing does not advance; that delays
 * overdue findings on an idle system but never fires them early. The injected clock only stamps
 * {@code detectedEpochMillis} and {@code reconciledAtEpochMillis}.
 *
 * <h2>Input errors</h2>
 * Undecodable runs, outcomes or findings go to {@code agentwatch_dead_letters} with the reason,
 * counted in {@link OutcomeMetrics}; the pipeline goes on.
 */
public final class OutcomeReconciliationTopology {
    static final String SUBJECT_STORE = "outcomes-subject-ledgers";
    static final String SUBJECT_DUE_STORE = "outcomes-subject-due";
    static final String RUN_STORE = "outcomes-run-ledgers";
    static final String RUN_DUE_STORE = "outcomes-run-due";
    static final String RATE_STORE = "outcomes-agent-rates";
    static final String BY_SUBJECT = "outcomes-by-subject";
    static final String BY_RUN = "outcomes-by-run";
    static final String BY_AGENT = "outcomes-by-agent";
    /**
     * Every second of stream time: each punctuation handles at most {@link TimeIndex#MAX_PER_SCAN}
     * due entries, and a run makes one, so this drains 10,000 runs a second per task (every 10 s
     * it drained a tenth of that, less than one task can receive).
     */
    static final Duration PUNCTUATE_EVERY = Duration.ofSeconds(1);

    private OutcomeReconciliationTopology() {
    }

    /**
     * @param config  reconciliation settings
     * @param clock   stamps detection and reconciliation times only (processing time)
     * @param metrics counters, shared by all tasks
     */
    public static Topology build(OutcomeReconciliationConfig config, Clock clock, OutcomeMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        Serde<ReconcileEvent> events = new ReconcileEventSerde();
        builder.addStateStore(store(SUBJECT_STORE, JsonSerde.of(SubjectLedger.class)));
        builder.addStateStore(store(SUBJECT_DUE_STORE, Serdes.String()));
        // Cached: a run and the findings on it arrive together, and each rewrites the run's ledger;
        // the cache writes it once a commit. The due indexes are written once per entry: uncached.
        builder.addStateStore(store(RUN_STORE, RunLedgerCodec.serde()).withCachingEnabled());
        builder.addStateStore(store(RUN_DUE_STORE, Serdes.String()));
        builder.addStateStore(store(RATE_STORE, JsonSerde.of(AgentRateHistory.class)));

        KStream<String, Object> decodedRuns = source(builder, Topics.RUNS.name())
                .process(() -> new InputDecoder<>(Topics.RUNS, Run::closedAtEpochMillis, metrics),
                        Named.as("outcomes-decode-runs"));
        KStream<String, Object> decodedOutcomes = source(builder, Topics.OUTCOMES.name())
                .process(() -> new InputDecoder<>(Topics.OUTCOMES, Outcome::receivedEpochMillis, metrics),
                        Named.as("outcomes-decode-outcomes"));
        KStream<String, Object> decodedFindings = source(builder, Topics.FINDINGS.name())
                .process(() -> new InputDecoder<>(Topics.FINDINGS, finding -> 0L, metrics),
                        Named.as("outcomes-decode-findings"));
        decodedRuns.merge(decodedOutcomes, Named.as("outcomes-merge-decoded"))
                .merge(decodedFindings, Named.as("outcomes-merge-decoded-findings"))
                .filter((key, value) -> value instanceof DeadLetter, Named.as("outcomes-dead-letters"))
                .mapValues(DeadLetter.class::cast, Named.as("outcomes-as-dead-letters"))
                .to(Topics.DEAD_LETTERS.name(), Produced.with(Topics.DEAD_LETTERS.keySerde(),
                        Topics.DEAD_LETTERS.valueSerde()).withName("outcomes-dead-letter-sink"));

        KStream<String, Run> runs = only(decodedRuns, Run.class, "runs");
        KStream<String, Outcome> outcomes = only(decodedOutcomes, Outcome.class, "outcomes");
        KStream<String, Finding> findings = only(decodedFindings, Finding.class, "findings");

        JudgeRouter router = new JudgeRouter(config);
        runs.flatMap((key, run) -> router.route(run).stream()
                        .map(review -> KeyValue.pair(run.runId(), review)).toList(), Named.as("outcomes-judge-routing"))
                .to(Topics.RUN_REVIEWS.name(), Produced.<String, RunReview>with(Topics.RUN_REVIEWS.keySerde(),
                        Topics.RUN_REVIEWS.valueSerde()).withName("outcomes-run-reviews-sink"));

        // Subject stage.
        KStream<String, ReconcileEvent> subjectRuns = runs
                .filter((key, run) -> !run.subjectId().isEmpty(), Named.as("outcomes-runs-with-subject"))
                .map((key, run) -> KeyValue.pair(ReconciliationKeys.subject(run.tenant(), run.subjectId()),
                        (ReconcileEvent) RunArrived.of(run)), Named.as("outcomes-runs-by-subject"));
        KStream<String, ReconcileEvent> subjectOutcomes = outcomes
                .filter((key, outcome) -> outcome.runId().isEmpty(), Named.as("outcomes-naming-subject"))
                .map((key, outcome) -> KeyValue.pair(ReconciliationKeys.subject(outcome.tenant(), outcome.subjectId()),
                        (ReconcileEvent) OutcomeArrived.bySubject(outcome)), Named.as("outcomes-outcomes-by-subject"));
        KStream<String, Object> subjectStage = subjectRuns.merge(subjectOutcomes, Named.as("outcomes-merge-subject"))
                .repartition(Repartitioned.with(Serdes.String(), events).withName(BY_SUBJECT))
                .process(() -> new SubjectMatchProcessor(config, clock, metrics), Named.as("outcomes-subject-stage"),
                        SUBJECT_STORE, SUBJECT_DUE_STORE);

        // Run stage.
        KStream<String, ReconcileEvent> runEvents = runs
                .map((key, run) -> KeyValue.pair(ReconciliationKeys.run(run.tenant(), run.runId()),
                        (ReconcileEvent) RunArrived.of(run)), Named.as("outcomes-runs-by-run"));
        KStream<String, ReconcileEvent> runOutcomes = outcomes
                .filter((key, outcome) -> !outcome.runId().isEmpty(), Named.as("outcomes-naming-run"))
                .map((key, outcome) -> KeyValue.pair(ReconciliationKeys.run(outcome.tenant(), outcome.runId()),
                        (ReconcileEvent) OutcomeArrived.byRunId(outcome)), Named.as("outcomes-outcomes-by-run"));
        KStream<String, ReconcileEvent> matchedOutcomes = subjectStage
                .filter((key, value) -> value instanceof OutcomeArrived, Named.as("outcomes-subject-matched"))
                .mapValues(value -> (ReconcileEvent) value, Named.as("outcomes-subject-matched-events"));
        KStream<String, ReconcileEvent> runFindings = findings
                .filter((key, finding) -> !finding.runId().isEmpty()
                        && !RunReconciler.OWN_DETECTORS.contains(finding.detector()), Named.as("outcomes-findings-on-runs"))
                .map((key, finding) -> KeyValue.pair(ReconciliationKeys.run(finding.tenant(), finding.runId()),
                        (ReconcileEvent) new FindingArrived(finding)), Named.as("outcomes-findings-by-run"));
        KStream<String, Object> runStage = runEvents
                .merge(runOutcomes, Named.as("outcomes-merge-run-outcomes"))
                .merge(matchedOutcomes, Named.as("outcomes-merge-matched-outcomes"))
                .merge(runFindings, Named.as("outcomes-merge-run-findings"))
                .repartition(Repartitioned.with(Serdes.String(), events).withName(BY_RUN))
                .process(() -> new RunReconcileProcessor(config, clock, metrics), Named.as("outcomes-run-stage"),
                        RUN_STORE, RUN_DUE_STORE);

        // Rate stage.
        KStream<String, Object> rateStage = only(runStage, RateDelta.class, "rate-deltas")
                .repartition(Repartitioned.with(Serdes.String(), JsonSerde.of(RateDelta.class)).withName(BY_AGENT))
                .process(() -> new RateSpikeProcessor(config, clock, metrics), Named.as("outcomes-rate-stage"),
                        RATE_STORE);

        only(runStage, Finding.class, "run-findings")
                .merge(only(rateStage, Finding.class, "rate-findings"), Named.as("outcomes-merge-findings"))
                .to(Topics.FINDINGS.name(), Produced.with(Topics.FINDINGS.keySerde(), Topics.FINDINGS.valueSerde())
                        .withName("outcomes-findings-sink"));
        only(runStage, Reconciliation.class, "run-reconciliations")
                .merge(only(subjectStage, Reconciliation.class, "subject-reconciliations"),
                        Named.as("outcomes-merge-reconciliations"))
                .to(Topics.RECONCILIATIONS.name(), Produced.with(Topics.RECONCILIATIONS.keySerde(),
                        Topics.RECONCILIATIONS.valueSerde()).withName("outcomes-reconciliations-sink"));
        return builder.build();
    }

    private static KStream<String, byte[]> source(StreamsBuilder builder, String topic) {
        return builder.stream(topic, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("outcomes-source-" + topic));
    }

    private static <T> KStream<String, T> only(KStream<String, Object> stream, Class<T> type, String name) {
        return stream.filter((key, value) -> type.isInstance(value), Named.as("outcomes-only-" + name))
                .mapValues(type::cast, Named.as("outcomes-as-" + name));
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> valueSerde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde);
    }
}
