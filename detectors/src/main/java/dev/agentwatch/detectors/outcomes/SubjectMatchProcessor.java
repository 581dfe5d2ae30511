package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.detectors.outcomes.ReconcileEvent.FindingArrived;
import dev.agentwatch.detectors.outcomes.ReconcileEvent.OutcomeArrived;
import dev.agentwatch.detectors.outcomes.ReconcileEvent.RunArrived;
import dev.agentwatch.detectors.outcomes.SubjectLedger.Match;
import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Reconciliation;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subject stage: input keyed by tenant and subject (runs that carry a subject, outcomes that
 * name only a subject); matches each outcome to the run it judges ({@link SubjectLedger}) and
 * forwards it keyed by tenant and run id to the run stage. Outcomes still unmatched when the
 * subject's retention ends are forwarded as unmatched reconciliations.
 */
final class SubjectMatchProcessor implements Processor<String, ReconcileEvent, String, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(SubjectMatchProcessor.class);
    private static final char SETTLE = 'S';
    private static final char EXPIRE = 'E';

    private final OutcomeReconciliationConfig config;
    private final Clock clock;
    private final OutcomeMetrics metrics;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, SubjectLedger> ledgers;
    private TimeIndex due;

    SubjectMatchProcessor(OutcomeReconciliationConfig config, Clock clock, OutcomeMetrics metrics) {
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.ledgers = context.getStateStore(OutcomeReconciliationTopology.SUBJECT_STORE);
        this.due = new TimeIndex(context.getStateStore(OutcomeReconciliationTopology.SUBJECT_DUE_STORE));
        context.schedule(OutcomeReconciliationTopology.PUNCTUATE_EVERY, PunctuationType.STREAM_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, ReconcileEvent> record) {
        String key = record.key();
        long streamTime = Math.max(context.currentStreamTimeMs(), record.timestamp());
        SubjectLedger stored = ledgers.get(key);
        SubjectLedger ledger = stored == null ? SubjectLedger.empty() : stored;
        switch (record.value()) {
            case RunArrived(var run) -> ledger = ledger.withRun(SubjectLedger.SubjectRun.of(run));
            case OutcomeArrived arrived -> {
                Outcome outcome = arrived.outcome();
                Optional<String> earlier = ledger.matchedRunOf(outcome.outcomeId());
                if (earlier.filter(SubjectLedger.GIVEN_UP::equals).isPresent()) {
                    // Reported unmatched already; matching it now would report it twice.
                    metrics.count("subject.outcomes.redelivered");
                } else if (earlier.isPresent()) {
                    // A re-delivery goes where the first delivery went; the run stage drops it as a duplicate.
                    forwardMatch(new Match(outcome, earlier.get()), record.timestamp());
                    metrics.count("subject.outcomes.redelivered");
                } else {
                    ledger = ledger.withPending(outcome);
                    due.add(SubjectLedger.settledAt(outcome, config.subjectSettle()), SETTLE, key);
                    due.add(SubjectLedger.givenUpAt(outcome, config.retention()), SETTLE, key);
                }
            }
            case FindingArrived ignored -> metrics.count("subject.ignored.finding");
            case null -> metrics.count("subject.ignored.null");
        }
        if (stored == null) {
            due.add(record.timestamp() + config.retention().toMillis(), EXPIRE, key);
        }
        ledger = matchAndForward(ledger.touchedAt(record.timestamp()), streamTime);
        ledgers.put(key, ledger);
    }

    private SubjectLedger matchAndForward(SubjectLedger ledger, long streamTime) {
        if (ledger.pending().isEmpty()) {
            return ledger;
        }
        SubjectLedger.Matching matching = ledger.matchSettled(streamTime, config.subjectSettle(), config.retention());
        for (Match match : matching.matches()) {
            forwardMatch(match, streamTime);
        }
        giveUp(matching.givenUp(), streamTime);
        return matching.ledger();
    }

    private void forwardMatch(Match match, long timestamp) {
        Outcome outcome = match.outcome();
        metrics.count("subject.outcomes.matched");
        context.forward(new Record<>(ReconciliationKeys.run(outcome.tenant(), match.runId()),
                OutcomeArrived.bySubject(outcome).resolvedTo(match.runId()), timestamp));
    }

    private void punctuate(long streamTime) {
        for (TimeIndex.Due entry : due.takeDue(streamTime)) {
            SubjectLedger ledger = ledgers.get(entry.key());
            if (ledger == null) {
                continue;
            }
            if (entry.kind() == SETTLE) {
                ledgers.put(entry.key(), matchAndForward(ledger, streamTime));
            } else if (entry.kind() == EXPIRE) {
                expire(entry.key(), ledger, streamTime);
            }
        }
    }

    private void expire(String key, SubjectLedger ledger, long streamTime) {
        long expiresAt = ledger.lastEventMillis() + config.retention().toMillis();
        if (expiresAt > streamTime) {
            due.add(expiresAt, EXPIRE, key);
            return;
        }
        giveUp(ledger.pending(), streamTime);
        ledgers.delete(key);
        metrics.count("subject.expired");
    }

    /** Outcomes that stop waiting for a run: reported unmatched, so they stay visible. */
    private void giveUp(List<Outcome> unmatched, long streamTime) {
        for (Reconciliation row : RunReconciler.unmatched(unmatched, 0, clock.millis())) {
            context.forward(new Record<>(row.tenant() + "|" + row.reconciliationId(), row, streamTime));
            metrics.count("outcomes.unmatched", "subject");
        }
        if (!unmatched.isEmpty()) {
            LOG.info("subject outcomes given up unmatched count={} retention={}", unmatched.size(), config.retention());
        }
    }
}
