package dev.agentwatch.detectors.runs;

import dev.agentwatch.detectors.DetectionConfig;
import dev.agentwatch.detectors.DetectorMetrics;
import dev.agentwatch.detectors.RecordTimes;
import dev.agentwatch.detectors.detect.RunDetector;
import dev.agentwatch.detectors.detect.RunTrace;
import dev.agentwatch.detectors.metrics.MetricsTopology;
import dev.agentwatch.model.Finding;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.Step;
import dev.agentwatch.model.StepSample;
import dev.agentwatch.model.StepSamples;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles steps into runs, one task (partition) at a time.
 *
 * <h2>When a run closes</h2>
 * When its root span arrives (event time of the close: the root's end as its record carries it,
 * capped a minute past its arrival, see {@link RecordTimes}), or, without a root, once
 * the partition's clock has moved on by the inactivity gap since the run's last step arrived
 * (then it is {@code UNFINISHED}, closed at that clock time). The gap is that of the run's agent
 * ({@link RunAssemblyConfig#inactivityGapOf}) as its steps name it by then. A step arriving
 * after the close updates the run, which is re-emitted with {@code revision + 1} and the step
 * counted as late; only findings with new fingerprints are emitted, and emitted findings of
 * detectors that late steps can disprove ({@link RunDetector#lateStepsCanDisprove}) that no
 * longer fire are resolved ({@link Finding#resolvedAt}), as far as the state kept them. A closed
 * run is forgotten once the clock passes its last activity plus the late-step retention. A step
 * id already in the run (a re-delivered span) is ignored and counted.
 *
 * <h2>The partition's clock</h2>
 * Event time: the latest step end seen by this task (its own "stream time" of steps; Kafka
 * Streams' stream time would follow the {@code otlp_spans} records' ingestion time when the
 * topology normalizes in place). Expired runs are looked for every {@code punctuationInterval},
 * on stream-time and wall-clock punctuation alike. The event clock stops when traffic stops,
 * which would leave the last runs open forever, so the wall-clock punctuator watches it: once no
 * step has moved it for {@code idleAfter} of wall-clock time, the clock moves on by the wall-clock
 * time elapsed, until a step stamped later than the clock arrives. A run that arrives meanwhile
 * with older steps (an agent whose clock runs behind) is measured on that clock, so it still gets
 * the whole gap. Only elapsed wall-clock time is used,
 * never the wall clock's value, so agents with skewed clocks or replayed old traffic behave the
 * same; a step stamped in the future moves the clock at most a minute past the step's arrival
 * (its record timestamp, see {@link RecordTimes}). At each punctuation the clock is saved in the
 * deadline index (under a key no deadline reaches), so a restarted task starts from it: a partition
 * that stays quiet after a restart still closes its open runs, once it has waited {@code idleAfter}
 * again. The time the task was down is not counted, so runs close later, never earlier.
 */
final class RunAssembler implements Processor<String, Step, String, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(RunAssembler.class);
    private static final int MAX_EXPIRED_PER_PUNCTUATION = 20_000;
    /** Evidence of a resolution: the late step whose arrival made the finding no longer hold. */
    static final String RESOLVED_BY_STEP = "resolved_by_step";
    /** Where the event clock is saved: the deadline index's last key, a deadline never due. */
    static final Bytes CLOCK_KEY = deadlineKey(Long.MAX_VALUE, "");

    private final DetectionConfig config;
    private final List<RunDetector> detectors;
    /** Names of the detectors whose findings a late step can disprove: those are kept to be resolved. */
    private final Set<String> disprovable;
    private final DetectorMetrics metrics;
    /** When a run is first looked at for inactivity: its agent may not be known before. */
    private final long firstLookMillis;
    private final long retentionMillis;
    /**
     * Whether a run closed by its root can leave the forgetting to the deadline it already has
     * (the first look, or the close by inactivity), which comes before its retention ends: when
     * that deadline is due, the closed run is rescheduled for its retention. Saves a write per run.
     */
    private final boolean pendingDeadlineComesFirst;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, RunState> runs;
    private KeyValueStore<Bytes, byte[]> deadlines;
    private long eventClock = Long.MIN_VALUE;
    /** The event clock as last saved under {@link #CLOCK_KEY}. */
    private long savedEventClock = Long.MIN_VALUE;
    /** Wall-clock time at which a step last moved the event clock. */
    private long wallAtLastMove;
    /** Wall-clock time up to which the idle event clock has been moved on. */
    private long wallMovedOnUntil = Long.MIN_VALUE;

    RunAssembler(DetectionConfig config, List<RunDetector> detectors, DetectorMetrics metrics) {
        this.config = config;
        this.detectors = List.copyOf(detectors);
        this.disprovable = RunDetector.disprovableNames(detectors);
        this.metrics = metrics;
        this.firstLookMillis = config.runs().shortestInactivityGap().toMillis();
        this.retentionMillis = config.runs().closedRetention().toMillis();
        this.pendingDeadlineComesFirst = retentionMillis >= config.runs().longestInactivityGap().toMillis();
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.runs = context.getStateStore(RunTopology.RUNS_STORE);
        this.deadlines = context.getStateStore(RunTopology.DEADLINES_STORE);
        byte[] savedClock = deadlines.get(CLOCK_KEY);
        this.eventClock = savedClock == null ? Long.MIN_VALUE : ByteBuffer.wrap(savedClock).getLong();
        this.savedEventClock = eventClock;
        this.wallAtLastMove = context.currentSystemTimeMs();
        context.schedule(config.runs().punctuationInterval(), PunctuationType.STREAM_TIME, streamTime -> expireAtEventClock());
        context.schedule(config.runs().punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::expireWhenIdle);
    }

    @Override
    public void process(Record<String, Step> record) {
        Step step = record.value();
        long eventMillis = record.timestamp();
        if (eventMillis > eventClock) {
            eventClock = eventMillis;
            wallAtLastMove = context.currentSystemTimeMs();
        }
        // Activity is measured on the partition's clock, not the step's own time: a replayed or
        // late-stamped run among live traffic still gets the whole gap for its next step.
        long activity = eventClock;
        String key = stateKey(step.tenant(), step.runId());
        RunState state = runs.get(key);
        if (state == null) {
            state = RunState.open(step, RunStateSerde.encodedSize(step), activity);
            schedule(activity + firstLookMillis, key);
        } else if (state.hasStep(step.stepId())) {
            metrics.increment(DetectorMetrics.STEPS_DUPLICATE, "same_step_id");
            return;
        } else {
            int maxSteps = config.runs().maxStepsPerRun();
            RunState grown = state.with(step, RunStateSerde.encodedSize(step), activity, maxSteps);
            if (grown.overflow().steps() > state.overflow().steps()) {
                metrics.increment(DetectorMetrics.STEPS_NOT_KEPT,
                        state.steps().size() >= maxSteps ? "max_steps" : "max_step_bytes");
                if (!grown.closed()) {
                    // Past the caps the step is only counted, so the close cannot sample it:
                    // sampled now, or the step metrics would miss most of a runaway loop's steps.
                    emitSample(RunSummarizer.sample(step, grown.steps()));
                }
            }
            if (grown.closed()) {
                metrics.increment(DetectorMetrics.STEPS_LATE, "after_close");
                revise(key, grown, step);
                return;
            }
            state = grown;
        }
        if (step.isRoot()) {
            // The root's end as its record carries it: capped like every step's time, so a root
            // stamped years ahead cannot keep its run in the state for years.
            close(key, state, eventMillis, "root_ended", pendingDeadlineComesFirst);
        } else {
            runs.put(key, state);
        }
    }

    /** Closes the run; {@code deadlineKept}: its pending deadline will reschedule it for its retention. */
    private void close(String key, RunState state, long closedAtMillis, String reason, boolean deadlineKept) {
        Run run = RunSummarizer.summarize(state, closedAtMillis, 0, 0);
        forward(run);
        Map<String, Optional<Finding>> emitted = emitNew(inspect(run, state), state);
        runs.put(key, state.closedAt(closedAtMillis, emitted));
        if (!deadlineKept) {
            schedule(Math.max(closedAtMillis, state.lastActivityMillis()) + retentionMillis, key);
        }
        metrics.increment(DetectorMetrics.RUNS_CLOSED, reason);
        for (SampleRecords samples : SampleRecords.of(state.steps(), run, MetricsTopology.WINDOW.toMillis(), this::stamp)) {
            context.forward(new Record<String, Object>(samples.metricKey(), samples.samples(), samples.timestamp()),
                    RunTopology.SAMPLES_SINK);
        }
    }

    /**
     * A closed run with a late step: re-emitted as the next revision, with the findings that fire
     * now for the first time, and resolutions of the kept findings that no longer fire (the root of
     * an "unfinished" run arrived, the tool span a "missing" step waited for, a successful retry).
     */
    private void revise(String key, RunState state, Step late) {
        Run run = RunSummarizer.summarize(state, state.closedAtMillis(), state.revision() + 1, state.lateSteps() + 1);
        forward(run);
        Inspection now = inspect(run, state);
        Map<String, Optional<Finding>> emitted = emitNew(now, state);
        // A detector that failed found nothing, which says nothing about its findings.
        Set<String> resolved = now.complete() ? resolveVanished(now, state.emitted(), late) : Set.of();
        runs.put(key, state.revised(emitted, resolved));
        metrics.increment(DetectorMetrics.RUNS_REVISED, "late_step");
        sample(late, run);
    }

    /**
     * Every detector's findings on the run, once per fingerprint, and the fingerprints of those
     * past their detector's first {@link RunDetector#MAX_FINDINGS_PER_RUN} (found, so not to be
     * resolved, but not to be emitted); incomplete if a detector failed.
     */
    private record Inspection(List<Finding> findings, Set<String> pastCap, boolean complete) {
        Set<String> fingerprints() {
            Set<String> fingerprints = new HashSet<>();
            findings.forEach(finding -> fingerprints.add(finding.fingerprint()));
            return fingerprints;
        }
    }

    private Inspection inspect(Run run, RunState state) {
        RunTrace trace = new RunTrace(run, state.steps());
        Map<String, Finding> found = new LinkedHashMap<>();
        Set<String> pastCap = new HashSet<>();
        boolean complete = true;
        for (RunDetector detector : detectors) {
            try {
                List<Finding> findings = detector.inspect(trace);
                for (int i = 0; i < findings.size(); i++) {
                    Finding finding = findings.get(i);
                    found.putIfAbsent(finding.fingerprint(), finding);
                    if (i >= RunDetector.MAX_FINDINGS_PER_RUN) {
                        pastCap.add(finding.fingerprint());
                    }
                }
            } catch (RuntimeException e) {
                complete = false;
                metrics.increment(DetectorMetrics.DETECTOR_FAILED, detector.name());
                LOG.warn("detector failed detector={} tenant={} run_id={}", detector.name(), run.tenant(), run.runId(), e);
            }
        }
        return new Inspection(List.copyOf(found.values()), pastCap, complete);
    }

    private void forward(Run run) {
        context.forward(new Record<String, Object>(run.runId(), run, stamp(run.closedAtEpochMillis())), RunTopology.RUNS_SINK);
    }

    /**
     * Emits the findings not emitted before, within the caps (a detector's first findings, and
     * {@link RunState#MAX_FINDINGS_EMITTED} per run); returns them by fingerprint, as the run's
     * state keeps them.
     */
    private Map<String, Optional<Finding>> emitNew(Inspection inspection, RunState state) {
        long detectedAt = context.currentSystemTimeMs();
        Map<String, Optional<Finding>> emitted = new LinkedHashMap<>();
        int kept = 0;
        for (Finding finding : inspection.findings()) {
            if (state.emitted().containsKey(finding.fingerprint())) {
                continue;
            }
            if (inspection.pastCap().contains(finding.fingerprint())
                    || state.emitted().size() + emitted.size() >= RunState.MAX_FINDINGS_EMITTED) {
                metrics.increment(DetectorMetrics.FINDINGS_PAST_RUN_CAP, finding.detector());
            } else {
                Finding stamped = finding.detectedAt(detectedAt);
                emitFinding(stamped);
                metrics.increment(DetectorMetrics.FINDINGS_EMITTED, finding.detector());
                Optional<Finding> asKept = Optional.empty();
                if (disprovable.contains(finding.detector())) {
                    Optional<String> capMissed = state.capMissedBy(stamped, kept);
                    capMissed.ifPresent(cap -> metrics.increment(DetectorMetrics.FINDINGS_NOT_KEPT, cap));
                    asKept = capMissed.isEmpty() ? Optional.of(stamped) : Optional.empty();
                }
                kept += asKept.isPresent() ? 1 : 0;
                emitted.put(finding.fingerprint(), asKept);
            }
        }
        return emitted;
    }

    /**
     * Resolves the emitted findings of disprovable detectors that the detectors no longer find:
     * each as it was emitted (the same labels, so it resolves the same alert; the same agent and
     * event time, so it replaces the same row), with {@code state=resolved}, the late step that made
     * the difference, and a later detection time (the version that wins in ClickHouse). Findings
     * the state keeps only the fingerprint of (past its caps, or from before version 4) stay as
     * they are.
     */
    private Set<String> resolveVanished(Inspection now, Map<String, Optional<Finding>> already, Step late) {
        Set<String> stillFound = now.fingerprints();
        long nowMillis = context.currentSystemTimeMs();
        Set<String> resolved = new HashSet<>();
        already.forEach((fingerprint, asEmitted) -> {
            boolean vanished = !stillFound.contains(fingerprint) && asEmitted.isPresent();
            if (vanished && disprovable.contains(asEmitted.get().detector())) {
                Finding finding = asEmitted.get();
                long detectedAt = Math.max(nowMillis, finding.detectedEpochMillis() + 1);
                emitFinding(finding.resolvedAt(detectedAt, Map.of(RESOLVED_BY_STEP, late.stepId())));
                metrics.increment(DetectorMetrics.FINDINGS_RESOLVED, finding.detector());
                resolved.add(fingerprint);
            }
        });
        return resolved;
    }

    private void emitFinding(Finding finding) {
        context.forward(new Record<String, Object>(finding.fingerprint(), finding, stamp(finding.eventEpochNanos() / 1_000_000)),
                RunTopology.FINDINGS_SINK);
    }

    private void sample(Step step, Run run) {
        emitSample(StepSample.of(step, run.agentName(), run.agentVersion(), run.subjectId()));
    }

    /** A step sampled on its own: a late step, or one past the caps. */
    private void emitSample(StepSample sample) {
        context.forward(new Record<String, Object>(sample.metricKey(), StepSamples.of(sample),
                stamp(sample.endEpochNanos() / 1_000_000)), RunTopology.SAMPLES_SINK);
    }

    /** A Kafka timestamp for an event time read from spans (see {@link RecordTimes}). */
    private long stamp(long eventMillis) {
        return RecordTimes.bounded(eventMillis, eventClock, context.currentSystemTimeMs());
    }

    private void expire(long now) {
        List<KeyValue<Bytes, byte[]>> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> entries = deadlines.all()) {
            while (entries.hasNext() && due.size() < MAX_EXPIRED_PER_PUNCTUATION) {
                KeyValue<Bytes, byte[]> entry = entries.next();
                if (deadlineOf(entry.key) > now) {
                    break;
                }
                due.add(entry);
            }
        }
        for (KeyValue<Bytes, byte[]> entry : due) {
            deadlines.delete(entry.key);
            String key = runKeyOf(entry.key);
            RunState state = runs.get(key);
            if (state == null) {
                continue;
            }
            if (!state.closed()) {
                long closeAt = state.lastActivityMillis() + config.runs().inactivityGapOf(state.agentName()).toMillis();
                if (closeAt > now) {
                    schedule(closeAt, key);
                } else {
                    close(key, state, closeAt, "inactivity", false);
                }
            } else {
                long forgetAt = Math.max(state.closedAtMillis(), state.lastActivityMillis()) + retentionMillis;
                if (forgetAt > now) {
                    schedule(forgetAt, key);
                } else {
                    runs.delete(key);
                    metrics.increment(DetectorMetrics.RUNS_PURGED, "retention");
                }
            }
        }
    }

    private void expireAtEventClock() {
        if (eventClock != Long.MIN_VALUE) {
            expire(eventClock);
            saveEventClock();
        }
    }

    private void expireWhenIdle(long wallNow) {
        if (eventClock == Long.MIN_VALUE) {
            return;
        }
        if (wallNow - wallAtLastMove >= config.runs().idleAfter().toMillis()) {
            eventClock += wallNow - Math.max(wallAtLastMove, wallMovedOnUntil);
            wallMovedOnUntil = wallNow;
        }
        expire(eventClock);
        saveEventClock();
    }

    private void saveEventClock() {
        if (eventClock != savedEventClock) {
            deadlines.put(CLOCK_KEY, ByteBuffer.allocate(Long.BYTES).putLong(eventClock).array());
            savedEventClock = eventClock;
        }
    }

    private void schedule(long deadlineMillis, String key) {
        deadlines.put(deadlineKey(deadlineMillis, key), new byte[0]);
    }

    static String stateKey(String tenant, String runId) {
        return tenant + "/" + runId;
    }

    /** 8 bytes big-endian deadline (non-negative, so byte order is time order), then the run key. */
    static Bytes deadlineKey(long deadlineMillis, String key) {
        byte[] run = key.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + run.length).putLong(Math.max(0, deadlineMillis)).put(run).array());
    }

    static long deadlineOf(Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong();
    }

    static String runKeyOf(Bytes key) {
        byte[] bytes = key.get();
        return new String(bytes, 8, bytes.length - 8, StandardCharsets.UTF_8);
    }
}
