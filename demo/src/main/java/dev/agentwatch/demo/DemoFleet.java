package dev.agentwatch.demo;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated agent fleet: plans runs ({@link FleetPlanner}), emits them through the
 * instrumentation helper and the real OpenTelemetry SDK to a collector, labels each run with
 * what was injected, and posts each run's delayed ground truth when simulated time reaches it.
 * Also a load generator: raise {@code --rate}, drop failures with {@code --failures none}.
 *
 * <p>Run {@link #main} with {@code --api-key KEY} (see {@link FleetConfig#parse} for the flags), or
 * build one with {@link #create(FleetConfig)} and call {@link #run()}. One fleet runs once.
 */
public final class DemoFleet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoFleet.class);
    /** How long after the latest outcome was due the fleet still waits for it to be posted. */
    private static final Duration DRAIN_PATIENCE = Duration.ofSeconds(60);

    private final FleetConfig config;
    private final RunEmitter emitter;
    private final Runnable flush;
    private final Runnable shutdown;
    private final Optional<OutcomeClient> outcomes;
    private final Clock wall;
    private final List<Consumer<RunLabel>> labelSinks = new ArrayList<>();
    private final List<RunLabel> labels = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong runsEmitted = new AtomicLong();
    private final AtomicLong cooldownRuns = new AtomicLong();
    private final AtomicLong spansEmitted = new AtomicLong();
    private final AtomicLong outcomesScheduled = new AtomicLong();
    private final AtomicLong outcomesPosted = new AtomicLong();
    private final AtomicLong outcomesFailed = new AtomicLong();
    private volatile FleetProgress.Phase phase = FleetProgress.Phase.STARTING;
    private volatile Instant wallStarted;

    DemoFleet(FleetConfig config, Function<AgentKind, OpenTelemetry> openTelemetryOf, Runnable flush,
              Runnable shutdown, Optional<OutcomeClient> outcomes, Clock wall) {
        this.config = Objects.requireNonNull(config, "config");
        this.emitter = new RunEmitter(openTelemetryOf);
        this.flush = Objects.requireNonNull(flush, "flush");
        this.shutdown = Objects.requireNonNull(shutdown, "shutdown");
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
        this.wall = Objects.requireNonNull(wall, "wall");
    }

    /** A fleet exporting over OTLP/HTTP (gzip) to {@code config.collectorUrl()}, one SDK per agent service. */
    public static DemoFleet create(FleetConfig config) {
        Map<AgentKind, OpenTelemetrySdk> sdks = new EnumMap<>(AgentKind.class);
        for (AgentKind agent : AgentKind.values()) {
            OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                    .setEndpoint(config.collectorUrl().resolve("/v1/traces").toString())
                    .addHeader("Authorization", "Bearer " + config.apiKey())
                    .setCompression("gzip")
                    .build();
            SdkTracerProvider provider = SdkTracerProvider.builder()
                    .setResource(Resource.getDefault().merge(Resource.builder()
                            .put("service.name", agent.serviceName())
                            .put("service.version", agent.version())
                            .put("deployment.environment.name", "demo")
                            .build()))
                    // A deep queue: dropped spans would look like failures the fleet did not inject.
                    .addSpanProcessor(BatchSpanProcessor.builder(exporter)
                            .setScheduleDelay(Duration.ofMillis(500))
                            .setMaxQueueSize(200_000)
                            .setMaxExportBatchSize(2048)
                            .build())
                    .build();
            sdks.put(agent, OpenTelemetrySdk.builder().setTracerProvider(provider).build());
        }
        Runnable flush = () -> sdks.values().forEach(sdk -> sdk.getSdkTracerProvider().forceFlush().join(30, TimeUnit.SECONDS));
        Runnable shutdown = () -> sdks.values().forEach(sdk -> sdk.getSdkTracerProvider().shutdown().join(30, TimeUnit.SECONDS));
        Optional<OutcomeClient> outcomes = config.postOutcomes()
                ? Optional.of(OutcomeClient.create(config.collectorUrl(), config.apiKey())) : Optional.empty();
        return new DemoFleet(config, sdks::get, flush, shutdown, outcomes, Clock.systemUTC());
    }

    /** Also hands every label to {@code sink} (a ClickHouse writer, a test), on the emitting thread. */
    public DemoFleet addLabelSink(Consumer<RunLabel> sink) {
        labelSinks.add(Objects.requireNonNull(sink, "sink"));
        return this;
    }

    /** Labels of every run emitted so far. */
    public List<RunLabel> labels() {
        synchronized (labels) {
            return List.copyOf(labels);
        }
    }

    /** What the fleet has done so far; safe to call from any thread while {@link #run()} runs. */
    public FleetProgress progress() {
        Instant started = wallStarted;
        return new FleetProgress(phase, runsEmitted.get(), cooldownRuns.get(), spansEmitted.get(),
                outcomesScheduled.get(), outcomesPosted.get(), outcomesFailed.get(),
                started == null ? Duration.ZERO : Duration.between(started, wall.instant()),
                config.duration().plus(config.afterDuration()));
    }

    /**
     * Starts runs at the configured rate for the configured duration (or run count). Then, while
     * outcomes drain (if configured) and for at least the cooldown, keeps clean traffic flowing on
     * the same schedule (no failures, no outcomes), so event time keeps moving for the detectors
     * as it would in production. Flushes the spans before returning.
     */
    public FleetResult run() {
        Instant wallStart = wall.instant();
        Duration simBack = Duration.ofNanos(Math.round(
                config.duration().plus(config.afterDuration()).toNanos() * config.compression()));
        FleetSchedule schedule = new FleetSchedule(wallStart, config.simStart().orElse(wallStart.minus(simBack)),
                config.compression(), config.ratePerSecond());
        FleetPlanner planner = new FleetPlanner(config, schedule);
        Instant stopAt = wallStart.plus(config.duration());
        Instant cooldownUntil = stopAt.plus(config.cooldown());
        boolean coolDown = config.drainOutcomes() || !config.cooldown().isZero();
        LOG.info("fleet starting fleet_id={} config={} sim_start={} rollout_at={}", config.fleetId(), config,
                schedule.simStart(), planner.rolloutAt());

        Optional<LabelsFile> file = config.labelsFile().map(LabelsFile::create);
        ScheduledExecutorService poster = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
        Map<String, Long> byFailure = new TreeMap<>();
        Instant simLast = schedule.simStart();
        Instant lastOutcomeDue = stopAt;
        long index = 0;
        wallStarted = wallStart;
        phase = FleetProgress.Phase.EMITTING;
        try {
            for (; ; index++) {
                Instant due = schedule.wallDue(index);
                boolean cooling = !due.isBefore(stopAt) || (config.maxRuns() > 0 && index >= config.maxRuns());
                if (cooling) {
                    if (!coolDown || cooledDown(cooldownUntil)) {
                        break;
                    }
                    if (phase == FleetProgress.Phase.EMITTING) {
                        phase = FleetProgress.Phase.COOLING_DOWN;
                        LOG.info("fleet cooling down fleet_id={} runs={} outcomes_pending={}", config.fleetId(), index,
                                progress().outcomesPending());
                    }
                    if (due.isAfter(lastOutcomeDue.plus(DRAIN_PATIENCE))) {
                        LOG.warn("fleet gave up draining outcomes fleet_id={} pending={}", config.fleetId(),
                                progress().outcomesPending());
                        break;
                    }
                    if (!waitUntil(due, () -> cooledDown(cooldownUntil))) {
                        break;
                    }
                } else {
                    waitUntil(due, () -> false);
                }
                RunPlan plan = cooling ? planner.planClean(index).withoutTruth() : planner.plan(index);
                String runId = emitter.emit(plan);
                RunLabel label = RunLabel.of(config.fleetId(), config.tenant(), plan, runId, wall.millis());
                labels.add(label);
                file.ifPresent(f -> f.write(label));
                labelSinks.forEach(sink -> sink.accept(label));
                spansEmitted.addAndGet(plan.spanCount());
                runsEmitted.incrementAndGet();
                if (cooling) {
                    cooldownRuns.incrementAndGet();
                }
                byFailure.merge(label.failureLabel(), 1L, Long::sum);
                simLast = plan.start();
                if (outcomes.isPresent() && plan.truth().isPresent()) {
                    OutcomePost outcome = OutcomePost.of(plan, runId, plan.truth().get(), config.fleetId());
                    Instant postAt = schedule.wallAt(plan.truth().get().observedAt());
                    lastOutcomeDue = postAt.isAfter(lastOutcomeDue) ? postAt : lastOutcomeDue;
                    long delayMillis = Math.max(0, Duration.between(wall.instant(), postAt).toMillis());
                    outcomesScheduled.incrementAndGet();
                    poster.schedule(() -> post(outcome), delayMillis, TimeUnit.MILLISECONDS);
                }
            }
            flush.run();
            LOG.info("fleet emitted fleet_id={} runs={} cooldown_runs={} spans={} outcomes_scheduled={}", config.fleetId(),
                    index, cooldownRuns.get(), spansEmitted.get(), outcomesScheduled.get());
            poster.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("fleet interrupted fleet_id={} runs={}", config.fleetId(), index);
        } finally {
            poster.shutdownNow();
            file.ifPresent(LabelsFile::close);
            phase = FleetProgress.Phase.DONE;
        }
        FleetResult result = new FleetResult(index, cooldownRuns.get(), spansEmitted.get(), byFailure,
                outcomesScheduled.get(), outcomesPosted.get(), outcomesFailed.get(), schedule.simStart(), simLast,
                planner.rolloutAt(), Duration.between(wallStart, wall.instant()));
        LOG.info("fleet done fleet_id={} runs={} outcomes_posted={} outcomes_failed={}", config.fleetId(), result.runs(),
                result.outcomesPosted(), result.outcomesFailed());
        return result;
    }

    /** The cooldown is over and, when draining, every scheduled outcome was posted or given up on. */
    private boolean cooledDown(Instant cooldownUntil) {
        return !wall.instant().isBefore(cooldownUntil)
                && (!config.drainOutcomes() || progress().outcomesPending() == 0);
    }

    private void post(OutcomePost outcome) {
        try {
            outcomes.orElseThrow().post(outcome);
            outcomesPosted.incrementAndGet();
        } catch (OutcomeRejectedException e) {
            // Counted and logged, never fatal: the fleet's spans matter more than one outcome.
            long n = outcomesFailed.incrementAndGet();
            if (n <= 5 || Long.bitCount(n) == 1) {
                LOG.warn("outcome not posted fleet_id={} status={} failed_so_far={} reason={}", config.fleetId(),
                        e.status(), n, e.getMessage());
            }
        } catch (RuntimeException e) {
            outcomesFailed.incrementAndGet();
            LOG.warn("outcome not posted fleet_id={} reason={}", config.fleetId(), e.toString());
        }
    }

    /**
     * Sleeps until {@code due}, in short naps so that {@code stop} is noticed between two runs of a
     * slow fleet; false when {@code stop} became true first.
     */
    private boolean waitUntil(Instant due, BooleanSupplier stop) throws InterruptedException {
        while (true) {
            if (stop.getAsBoolean()) {
                return false;
            }
            long millis = Duration.between(wall.instant(), due).toMillis();
            if (millis <= 0) {
                return true;
            }
            Thread.sleep(Math.min(millis, 100));
        }
    }

    /** Flushes and shuts the SDKs down. */
    @Override
    public void close() {
        flush.run();
        shutdown.run();
    }

    /** {@code DemoFleet --api-key KEY [--rate 10 --duration 2m --seed 42 ...]}; prints a summary. */
    public static void main(String[] args) {
        FleetConfig config;
        try {
            config = FleetConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("demo fleet: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (DemoFleet fleet = create(config)) {
            System.out.print(fleet.run().summary());
        }
    }
}
