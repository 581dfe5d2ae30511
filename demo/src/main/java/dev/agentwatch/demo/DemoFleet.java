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

    private final FleetConfig config;
    private final RunEmitter emitter;
    private final Runnable flush;
    private final Runnable shutdown;
    private final Optional<OutcomeClient> outcomes;
    private final Clock wall;
    private final List<Consumer<RunLabel>> labelSinks = new ArrayList<>();
    private final List<RunLabel> labels = Collections.synchronizedList(new ArrayList<>());

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

    /**
     * Starts runs at the configured rate for the configured duration (or run count), then
     * flushes spans and, if configured, waits until every outcome is posted.
     */
    public FleetResult run() {
        Instant wallStart = wall.instant();
        Duration simBack = Duration.ofNanos(Math.round(
                config.duration().plus(config.outcomeDrain()).toNanos() * config.compression()));
        FleetSchedule schedule = new FleetSchedule(wallStart, config.simStart().orElse(wallStart.minus(simBack)),
                config.compression(), config.ratePerSecond());
        FleetPlanner planner = new FleetPlanner(config, schedule);
        Instant stopAt = wallStart.plus(config.duration());
        LOG.info("fleet starting fleet_id={} config={} sim_start={} rollout_at={}", config.fleetId(), config,
                schedule.simStart(), planner.rolloutAt());

        Optional<LabelsFile> file = config.labelsFile().map(LabelsFile::create);
        ScheduledExecutorService poster = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
        AtomicLong posted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long scheduled = 0;
        long spans = 0;
        Map<String, Long> byFailure = new TreeMap<>();
        Instant simLast = schedule.simStart();
        long index = 0;
        try {
            for (; config.maxRuns() == 0 || index < config.maxRuns(); index++) {
                Instant due = schedule.wallDue(index);
                if (!due.isBefore(stopAt)) {
                    break;
                }
                waitUntil(due);
                RunPlan plan = planner.plan(index);
                String runId = emitter.emit(plan);
                RunLabel label = RunLabel.of(config.fleetId(), config.tenant(), plan, runId, wall.millis());
                labels.add(label);
                file.ifPresent(f -> f.write(label));
                labelSinks.forEach(sink -> sink.accept(label));
                spans += plan.spanCount();
                byFailure.merge(label.failureLabel(), 1L, Long::sum);
                simLast = plan.start();
                if (outcomes.isPresent() && plan.truth().isPresent()) {
                    OutcomePost outcome = OutcomePost.of(plan, runId, plan.truth().get(), config.fleetId());
                    long delayMillis = Math.max(0, Duration.between(wall.instant(),
                            schedule.wallAt(plan.truth().get().observedAt())).toMillis());
                    poster.schedule(() -> post(outcome, posted, failed), delayMillis, TimeUnit.MILLISECONDS);
                    scheduled++;
                }
            }
            flush.run();
            LOG.info("fleet emitted fleet_id={} runs={} spans={} outcomes_scheduled={}", config.fleetId(), index, spans,
                    scheduled);
            poster.shutdown();
            if (config.drainOutcomes() && scheduled > 0) {
                Duration patience = config.outcomeDrain().plus(Duration.ofSeconds(60));
                LOG.info("fleet draining outcomes fleet_id={} pending={} wait_at_most_s={}", config.fleetId(),
                        scheduled - posted.get() - failed.get(), patience.toSeconds());
                if (!poster.awaitTermination(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("fleet gave up draining outcomes fleet_id={} pending={}", config.fleetId(),
                            scheduled - posted.get() - failed.get());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("fleet interrupted fleet_id={} runs={}", config.fleetId(), index);
        } finally {
            poster.shutdownNow();
            file.ifPresent(LabelsFile::close);
        }
        FleetResult result = new FleetResult(index, spans, byFailure, scheduled, posted.get(), failed.get(),
                schedule.simStart(), simLast, planner.rolloutAt(), Duration.between(wallStart, wall.instant()));
        LOG.info("fleet done fleet_id={} runs={} outcomes_posted={} outcomes_failed={}", config.fleetId(), result.runs(),
                result.outcomesPosted(), result.outcomesFailed());
        return result;
    }

    private void post(OutcomePost outcome, AtomicLong posted, AtomicLong failed) {
        try {
            outcomes.orElseThrow().post(outcome);
            posted.incrementAndGet();
        } catch (OutcomeRejectedException e) {
            // Counted and logged, never fatal: the fleet's spans matter more than one outcome.
            long n = failed.incrementAndGet();
            if (n <= 5 || Long.bitCount(n) == 1) {
                LOG.warn("outcome not posted fleet_id={} status={} failed_so_far={} reason={}", config.fleetId(),
                        e.status(), n, e.getMessage());
            }
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            LOG.warn("outcome not posted fleet_id={} reason={}", config.fleetId(), e.toString());
        }
    }

    private void waitUntil(Instant due) throws InterruptedException {
        long millis = Duration.between(wall.instant(), due).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
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
