package dev.agentwatch.detectors.outcomes;

import dev.agentwatch.detectors.outcomes.ReconcileEvent.FindingArrived;
import dev.agentwatch.detectors.outcomes.ReconcileEvent.OutcomeArrived;
import dev.agentwatch.detectors.outcomes.ReconcileEvent.RunArrived;
import dev.agentwatch.detectors.outcomes.RunLedger.MatchedOutcome;
import dev.agentwatch.detectors.outcomes.RunLedger.RateContribution;
import dev.agentwatch.detectors.outcomes.RunLedger.RelatedFinding;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Outcome;
import dev.agentwatch.model.Reconciliation;
import dev.agentwatch.model.Run;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run stage: input keyed by tenant and run id (runs, outcomes naming the run or matched
 * through their subject, other detectors' findings on the run). Keeps a {@link RunLedger} per
 * run; whenever the run or its outcomes change and both are there, reconciles and forwards
 * reconciliation rows, new findings and rate deltas. On event time it reports overdue outcomes
 * and forgets runs whose retention ended (forwarding their outcomes as unmatched if the run
 * never came).
 */
final class RunReconcileProcessor implements Processor<String, ReconcileEvent, String, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(RunReconcileProcessor.class);
    private static final char OVERDUE = 'O';
    private static final char EXPIRE = 'E';

    private final OutcomeReconciliationConfig config;
    private final RunReconciler reconciler;
    private final Clock clock;
    private final OutcomeMetrics metrics;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, RunLedger> ledgers;
    private TimeIndex due;

    RunReconcileProcessor(OutcomeReconciliationConfig config, Clock clock, OutcomeMetrics metrics) {
        this.config = config;
        this.reconciler = new RunReconciler(new OutcomeComparator(config));
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.ledgers = context.getStateStore(OutcomeReconciliationTopology.RUN_STORE);
        this.due = new TimeIndex(context.getStateStore(OutcomeReconciliationTopology.RUN_DUE_STORE));
        context.schedule(OutcomeReconciliationTopology.PUNCTUATE_EVERY, PunctuationType.STREAM_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, ReconcileEvent> record) {
        String key = record.key();
        RunLedger stored = ledgers.get(key);
        RunLedger ledger = stored == null ? RunLedger.empty() : stored;
        boolean reconcile;
        Optional<RunLedger> changed;
        switch (record.value()) {
            case RunArrived(Run run) -> {
                changed = ledger.withRun(run);
                reconcile = true;
                count(changed, "runs.accepted", "runs.ignored.old_revision");
                if (changed.isPresent() && !ledger.hasRun()) {
                    changed = Optional.of(expectOutcome(changed.get()));
                }
            }
            case OutcomeArrived arrived -> {
                changed = ledger.withOutcome(new MatchedOutcome(arrived.outcome(), arrived.matchedBy()));
                reconcile = true;
                count(changed, "outcomes.accepted." + arrived.matchedBy().label(), "outcomes.ignored.stale_or_duplicate");
            }
            case FindingArrived(Finding finding) when finding.announcesResolution() -> {
                changed = ledger.withoutRelatedFinding(finding.fingerprint());
                reconcile = false;
                count(changed, "related_findings.resolved", "related_findings.ignored.unknown_resolved");
            }
            case FindingArrived(Finding finding) -> {
                changed = ledger.withRelatedFinding(RelatedFinding.of(finding));
                reconcile = false;
                count(changed, "related_findings.kept", "related_findings.ignored.duplicate");
            }
            case null -> {
                changed = Optional.empty();
                reconcile = false;
                metrics.count("run_stage.ignored.null");
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        RunLedger next = changed.get().touchedAt(record.timestamp());
        if (reconcile && next.reconcilable()) {
            next = reconcile(next, record.timestamp());
        }
        if (stored == null) {
            due.add(next.lastEventMillis() + config.retention().toMillis(), EXPIRE, key);
        }
        ledgers.put(key, next);
    }

    /** The first revision of a run of an agent that expects outcomes: schedules the overdue check. */
    private RunLedger expectOutcome(RunLedger ledger) {
        Duration window = config.expectedOutcomeWindows().get(ledger.run().agentName());
        if (window == null || !ledger.outcomes().isEmpty()) {
            return ledger;
        }
        long overdueAt = RunReconciler.endMillis(ledger.run()) + window.toMillis();
        due.add(overdueAt, OVERDUE, ReconciliationKeys.run(ledger.run().tenant(), ledger.run().runId()));
        return ledger.withOverdueAt(overdueAt);
    }

    private RunLedger reconcile(RunLedger ledger, long timestamp) {
        RunLedger next = ledger.nextVersion();
        RunReconciler.Result result = reconciler.reconcile(next, next.version(), clock.millis());
        for (Reconciliation row : result.rows()) {
            context.forward(new Record<>(row.tenant() + "|" + row.reconciliationId(), row, timestamp));
        }
        metrics.count("reconciliations." + result.rows().stream().filter(Reconciliation::effective).findFirst()
                .map(row -> row.mismatch().label()).orElse("none"));
        for (Finding finding : result.findings()) {
            if (!next.reported(finding.detector())) {
                context.forward(new Record<>(finding.fingerprint(), finding, timestamp));
                next = next.withReported(finding.detector());
                metrics.count("findings", finding.detector());
                LOG.debug("finding detector={} run_id={} tenant={}", finding.detector(), finding.runId(), finding.tenant());
            }
        }
        RateContribution before = next.contribution();
        RateContribution after = result.contribution();
        if (!Objects.equals(before, after)) {
            if (before != null) {
                forwardDelta(before, next.run().runId(), -1, timestamp);
            }
            if (after != null) {
                forwardDelta(after, next.run().runId(), 1, timestamp);
            }
            next = next.withContribution(after);
        }
        return next;
    }

    private void forwardDelta(RateContribution contribution, String runId, int sign, long timestamp) {
        RateDelta delta = new RateDelta(contribution.tenant(), contribution.agentName(), contribution.agentVersion(), runId,
                contribution.hourStartMillis(), sign, contribution.silentFailure() ? sign : 0);
        context.forward(new Record<>(ReconciliationKeys.agent(delta.tenant(), delta.agentName()), delta, timestamp));
    }

    private void punctuate(long streamTime) {
        for (TimeIndex.Due entry : due.takeDue(streamTime)) {
            RunLedger ledger = ledgers.get(entry.key());
            if (ledger == null) {
                continue;
            }
            if (entry.kind() == OVERDUE) {
                overdue(entry.key(), ledger, streamTime);
            } else if (entry.kind() == EXPIRE) {
                expire(entry.key(), ledger, streamTime);
            }
        }
    }

    private void overdue(String key, RunLedger ledger, long streamTime) {
        if (!ledger.outcomes().isEmpty() || !ledger.hasRun() || ledger.reported(RunReconciler.OUTCOME_OVERDUE)) {
            return;
        }
        Duration window = config.expectedOutcomeWindows().get(ledger.run().agentName());
        if (window == null) {
            return;
        }
        Finding finding = RunReconciler.overdue(ledger.run(), window, clock.millis());
        context.forward(new Record<>(finding.fingerprint(), finding, streamTime));
        metrics.count("findings", RunReconciler.OUTCOME_OVERDUE);
        ledgers.put(key, ledger.withReported(RunReconciler.OUTCOME_OVERDUE));
    }

    private void expire(String key, RunLedger ledger, long streamTime) {
        long expiresAt = ledger.lastEventMillis() + config.retention().toMillis();
        if (expiresAt > streamTime) {
            due.add(expiresAt, EXPIRE, key);
            return;
        }
        if (!ledger.hasRun() && !ledger.outcomes().isEmpty()) {
            for (Reconciliation row : RunReconciler.unmatched(
                    ledger.outcomes().stream().map(MatchedOutcome::outcome).toList(), 0, clock.millis())) {
                context.forward(new Record<>(row.tenant() + "|" + row.reconciliationId(), row, streamTime));
                metrics.count("outcomes.unmatched", "run_id");
            }
            Outcome first = ledger.outcomes().getFirst().outcome();
            LOG.info("outcomes expired without their run tenant={} run_id={} outcomes={}", first.tenant(), first.runId(),
                    ledger.outcomes().size());
        }
        ledgers.delete(key);
        metrics.count("run_stage.expired");
    }

    private void count(Optional<RunLedger> changed, String accepted, String ignored) {
        metrics.count(changed.isPresent() ? accepted : ignored);
    }
}
