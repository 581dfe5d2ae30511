package dev.agentwatch.cli;

import dev.agentwatch.clickhouse.ClickHouseConfig;
import dev.agentwatch.clickhouse.SchemaMigrator;
import dev.agentwatch.demo.ClickHouseLabels;
import dev.agentwatch.demo.DemoFleet;
import dev.agentwatch.demo.DemoReport;
import dev.agentwatch.demo.FleetConfig;
import dev.agentwatch.demo.FleetProgress;
import dev.agentwatch.demo.FleetResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code agentwatch demo}: the stack on the embedded services with its own data directory and
 * settings tuned for time compression ({@link DemoSettings}), the simulated fleet sending to it
 * with the generated dev key, live progress, and the detection report once the pipeline has
 * caught up. With {@code --collector} only the fleet runs, against someone else's collector.
 */
final class DemoCommand {
    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    /** The longest wait for the pipeline to catch up after the fleet stopped. */
    private static final Duration SETTLE_AT_MOST = Duration.ofSeconds(90);

    /**
     * What one demo produced.
     *
     * @param tenant  the tenant the fleet's key maps to
     * @param fleetId the fleet's id in labels and {@code demo_labels}
     * @param fleet   what the fleet did
     * @param report  the detection report, when a ClickHouse was there to build it from
     * @param agentLevelFindings one line per agent-level finding of the demo
     * @param wall    the demo's wall-clock time from start to report, build aside
     */
    record DemoResult(String tenant, String fleetId, FleetResult fleet, Optional<DemoReport> report,
                      List<String> agentLevelFindings, Duration wall) {
        DemoResult {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(fleetId, "fleetId");
            Objects.requireNonNull(fleet, "fleet");
            Objects.requireNonNull(report, "report");
            agentLevelFindings = List.copyOf(agentLevelFindings);
            Objects.requireNonNull(wall, "wall");
        }
    }

    /** The key the fleet sends with and the tenant it maps to, and how to say so. */
    private record Sender(String apiKey, String tenant, String description) {
    }

    private DemoCommand() {
    }

    /**
     * Runs a demo to its report.
     *
     * @param configFile  settings file, as for {@code up}; may be null
     * @param environment where {@code AGENTWATCH_*} settings come from
     * @param interactive whether {@code out} is a terminal (progress is redrawn in place)
     */
    static DemoResult run(DemoOptions options, Path configFile, Map<String, String> environment, PrintStream out,
                          boolean interactive) {
        long started = System.nanoTime();
        Settings user = Settings.load(configFile, environment);
        if (options.collector().isPresent()) {
            return againstCollector(options, user, out, interactive, started);
        }
        Path dataDir = prepareDataDir(options, user);
        DemoPorts.Decision ports = DemoPorts.choose(user, Settings.load(null, Map.of()));
        Settings settings = user.with(ports.overrides()).with(DemoSettings.tuned(options, dataDir, user));
        StackConfig config = StackConfig.from(settings);
        describePlan(options, dataDir, out);
        ports.notes().forEach(note -> out.println("  note: " + note));
        out.println();

        Stack stack = Stack.start(config, Role.ALL, out);
        try {
            Sender sender = sender(config, stack, options);
            String host = loopbackIfWildcard(config.collectorWithoutKeys().host());
            URI collector = URI.create("http://" + host + ":" + stack.collector().httpPort());
            out.printf("%nstack up in %.1f s%n", seconds(started));
            out.println("  collector   " + collector + "/v1/traces  (OTLP/HTTP), " + collector + "/v1/outcomes");
            out.println("  ClickHouse  " + stack.clickHouseUrl() + "  database " + config.clickHouse().database());
            out.println("  Kafka       " + stack.kafkaBootstrap());
            out.println("  " + sender.description());
            out.println();
            ClickHouseConfig clickHouse = withUrl(config.clickHouse(), stack.clickHouseUrl());
            DemoResult result = runFleet(options, collector, sender, dataDir, Optional.of(clickHouse),
                    () -> pipelineProblem(stack), out, interactive, started);
            if (options.keepRunning() && !Thread.currentThread().isInterrupted()) {
                out.println();
                out.println("The stack stays up (--keep-running): point Grafana at " + stack.clickHouseUrl()
                        + " (database " + config.clickHouse().database() + "). Press Ctrl-C to stop.");
                out.flush();
                awaitInterrupt();
            }
            return result;
        } finally {
            out.println("agentwatch demo: stopping the stack ...");
            stack.close();
            out.println("agentwatch demo: stopped");
        }
    }

    private static DemoResult againstCollector(DemoOptions options, Settings user, PrintStream out, boolean interactive,
                                               long started) {
        Path dataDir = options.dataDir().toAbsolutePath().normalize();
        describePlan(options, dataDir, out);
        URI collector = options.collector().orElseThrow();
        Sender sender = new Sender(options.apiKey().orElseThrow(), options.tenant().orElse("default"),
                "sending to " + collector + " with the given API key (tenant '" + options.tenant().orElse("default")
                        + "' per --tenant)");
        out.println("  " + sender.description());
        out.println("  the collector's detectors judge with their own settings; for a report comparable to the"
                + " demo's they need, at this compression:");
        DemoSettings.tuned(options, dataDir, user).forEach((key, value) -> {
            if (key.startsWith("detectors.") && !key.endsWith("application.id") || key.startsWith("outcomes.")) {
                out.println("    " + key + "=" + value);
            }
        });
        out.println("  and no traffic with later event times: the fleet's simulated time starts days in the past,"
                + " so where the detectors' clock is ahead its runs arrive late (metrics windows skip them, an"
                + " unfinished run waits for the clock to move a whole gap)");
        Optional<ClickHouseConfig> clickHouse = Optional.empty();
        if (!user.string("clickhouse.url").isBlank()) {
            ClickHouseConfig config = StackConfig.from(user).clickHouse();
            SchemaMigrator.of(config).migrate();
            clickHouse = Optional.of(config);
            out.println("  report from ClickHouse " + config.url() + " database " + config.database());
        } else {
            out.println("  no clickhouse.url set: the fleet runs, but there will be no detection report");
        }
        out.println();
        return runFleet(options, collector, sender, dataDir, clickHouse, Optional::empty, out, interactive, started);
    }

    /**
     * @param pipelineProblem what stopped a detectors pipeline of the demo's own stack, if one did:
     *                        the demo then says so instead of waiting for rows that cannot come
     */
    private static DemoResult runFleet(DemoOptions options, URI collector, Sender sender, Path dataDir,
                                       Optional<ClickHouseConfig> clickHouse, Supplier<Optional<String>> pipelineProblem,
                                       PrintStream out, boolean interactive, long started) {
        String fleetId = "demo-" + Long.toString(System.currentTimeMillis(), 36);
        FleetConfig fleetConfig = new FleetConfig(fleetId, options.seed(), options.ratePerSecond(), options.agents(),
                options.duration(), 0, options.compression(), options.failures(), 0.5, collector, sender.apiKey(),
                sender.tenant(), true, true, DemoSettings.cooldown(), Optional.of(dataDir.resolve("labels.jsonl")),
                Optional.empty());
        Optional<ClickHouseLabels> labels = clickHouse.map(ClickHouseLabels::open);
        long fleetStartedMillis = System.currentTimeMillis();
        FleetResult fleetResult;
        try (DemoFleet fleet = DemoFleet.create(fleetConfig)) {
            labels.ifPresent(fleet::addLabelSink);
            Ticker ticker = new Ticker(fleet, labels, sender.tenant(), fleetStartedMillis, pipelineProblem, out,
                    interactive);
            ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("demo-progress").factory());
            long periodMillis = interactive ? 1000 : 10_000;
            progress.scheduleAtFixedRate(ticker::update, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
            try {
                fleetResult = fleet.run();
            } finally {
                progress.shutdownNow();
                awaitQuietly(progress);
            }
            ticker.update();
            out.println();
            out.print(fleetResult.summary());
        }
        if (labels.isEmpty() || Thread.currentThread().isInterrupted()) {
            if (Thread.currentThread().isInterrupted()) {
                out.println("agentwatch demo: interrupted; no report (the pipeline had not caught up)");
            }
            labels.ifPresent(ClickHouseLabels::close);
            return new DemoResult(sender.tenant(), fleetId, fleetResult, Optional.empty(), List.of(),
                    elapsed(started));
        }
        try (ClickHouseLabels open = labels.get()) {
            settle(open, sender.tenant(), fleetId, fleetResult, pipelineProblem, out);
            if (Thread.currentThread().isInterrupted()) {
                out.println("agentwatch demo: interrupted; no report (the pipeline had not caught up)");
                return new DemoResult(sender.tenant(), fleetId, fleetResult, Optional.empty(), List.of(),
                        elapsed(started));
            }
            DemoReport report = open.report(sender.tenant(), fleetId, options.compression());
            List<String> agentLevel = open.agentLevelFindings(sender.tenant(), fleetStartedMillis);
            Duration wall = elapsed(started);
            printReport(report, agentLevel, fleetId, dataDir, clickHouse.get(), wall, out);
            return new DemoResult(sender.tenant(), fleetId, fleetResult, Optional.of(report), agentLevel, wall);
        }
    }

    /** Waits until every run of the fleet is in {@code runs} and every posted outcome is reconciled, and findings stopped changing. */
    private static void settle(ClickHouseLabels labels, String tenant, String fleetId, FleetResult fleet,
                               Supplier<Optional<String>> pipelineProblem, PrintStream out) {
        out.println();
        out.println("waiting for the pipeline to catch up: " + fleet.runs() + " runs to assemble, "
                + fleet.outcomesPosted() + " outcomes to reconcile ...");
        out.flush();
        long startedNanos = System.nanoTime();
        long deadline = startedNanos + SETTLE_AT_MOST.toNanos();
        long lastPrinted = startedNanos;
        long previousFindings = -1;
        long runs = 0;
        long outcomes = 0;
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            Optional<String> problem = pipelineProblem.get();
            if (problem.isPresent()) {
                out.println("  not waiting: " + problem.get() + "; the report counts what arrived before");
                return;
            }
            try {
                runs = labels.runsAssembled(tenant, fleetId);
                outcomes = labels.outcomesReconciled(tenant, fleetId);
                long findings = labels.findingsByDetector(tenant, 0).values().stream().mapToLong(Long::longValue).sum();
                if (runs >= fleet.runs() && outcomes >= fleet.outcomesPosted() && findings == previousFindings) {
                    out.printf("  caught up in %.1f s: %d runs assembled, %d outcomes reconciled%n",
                            (System.nanoTime() - startedNanos) / 1e9, runs, outcomes);
                    return;
                }
                previousFindings = runs >= fleet.runs() && outcomes >= fleet.outcomesPosted() ? findings : -1;
            } catch (RuntimeException e) {
                LOG.warn("demo progress query failed reason={}", e.toString());
            }
            if (System.nanoTime() - lastPrinted > Duration.ofSeconds(10).toNanos()) {
                out.printf("  %d/%d runs assembled, %d/%d outcomes reconciled%n", runs, fleet.runs(), outcomes,
                        fleet.outcomesPosted());
                lastPrinted = System.nanoTime();
            }
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        out.printf("  stopped waiting after %.0f s: %d/%d runs assembled, %d/%d outcomes reconciled; the report counts"
                        + " what arrived%n", (System.nanoTime() - startedNanos) / 1e9, runs, fleet.runs(), outcomes,
                fleet.outcomesPosted());
    }

    private static void printReport(DemoReport report, List<String> agentLevel, String fleetId, Path dataDir,
                                    ClickHouseConfig clickHouse, Duration wall, PrintStream out) {
        out.println();
        out.println("=== detection report, fleet " + fleetId + " ===");
        out.print(report.render());
        if (!agentLevel.isEmpty()) {
            out.println("agent-level findings (no single run; about an agent over time):");
            agentLevel.forEach(line -> out.println("  " + line));
        }
        out.println();
        out.println("where to look");
        String db = clickHouse.database();
        out.println("  ClickHouse  " + clickHouse.url() + "  database " + db + "  (Grafana: grafana-clickhouse-datasource,"
                + " protocol http; dashboards in dashboards/grafana)");
        out.println("  labels      " + dataDir.resolve("labels.jsonl") + "  (and table demo_labels, fleet_id '" + fleetId
                + "')");
        out.println("  log         .agentwatch/agentwatch.log");
        String curl = "  curl '" + clickHouse.url() + "/?database=" + db + "' --data-binary ";
        out.println(curl + "\"SELECT detector, count() FROM findings FINAL WHERE NOT resolved"
                + " GROUP BY detector ORDER BY 2 DESC\"");
        out.println(curl + "\"SELECT l.failure, f.detector, count() FROM findings AS f FINAL JOIN demo_labels AS l FINAL"
                + " USING (tenant, run_id) WHERE NOT f.resolved AND l.fleet_id = '" + fleetId + "'"
                + " GROUP BY 1, 2 ORDER BY 1, 2\"");
        out.println(curl + "\"SELECT run_id, agent_name, claimed_outcome, actual_value, judge_agreement"
                + " FROM outcome_reconciliations FINAL WHERE mismatch = 'silent_failure' LIMIT 10\"");
        out.printf("%nagentwatch demo: report ready %.0f s after start%n", wall.toMillis() / 1000.0);
        out.flush();
    }

    private static void describePlan(DemoOptions options, Path dataDir, PrintStream out) {
        double secondsPerDay = 86_400 / options.compression();
        out.println("agentwatch demo: " + options.agents().stream().map(a -> a.agentName()).collect(Collectors.joining(", "))
                + " for " + human(options.duration()) + " at " + trim(options.ratePerSecond()) + " runs/s, seed "
                + options.seed());
        out.printf(Locale.ROOT, "  time compressed %sx: a simulated day every %.1f s; outcomes arrive up to %d simulated"
                        + " days after their run (%.0f s)%n", trim(options.compression()), secondsPerDay,
                dev.agentwatch.demo.RunPlanner.maxOutcomeDelay().toDays(), options.outcomeDrain().toMillis() / 1000.0);
        out.println("  failure mix: " + options.failures());
        if (options.collector().isEmpty()) {
            out.println("  data: " + dataDir + (options.keepData() ? " (kept)" : " (wiped at start)")
                    + "; 'up' keeps its own data");
            Duration gap = DemoSettings.inactivityGap(options.compression());
            out.println("  detectors tuned for the compression: run inactivity gap " + human(gap) + " simulated ("
                    + DemoSettings.GAP_WALL_SECONDS + " s wall), sre-agent read-only, judge passes at 0.7");
        }
    }

    /** A detectors pipeline that is no longer running (a fatal error stopped it), named. */
    static Optional<String> pipelineProblem(Stack stack) {
        return stack.detectors().states().entrySet().stream()
                .filter(e -> switch (e.getValue()) {
                    case ERROR, PENDING_ERROR, PENDING_SHUTDOWN, NOT_RUNNING -> true;
                    default -> false;
                })
                .findFirst()
                .map(e -> "the detectors' '" + e.getKey() + "' pipeline stopped (" + e.getValue()
                        + "); see .agentwatch/agentwatch.log");
    }

    private static Sender sender(StackConfig config, Stack stack, DemoOptions options) {
        if (stack.devApiKey() != null) {
            return new Sender(stack.devApiKey(), "default", "API key (dev) " + stack.devApiKey() + "  (tenant 'default';"
                    + " generated in " + config.dataDir().resolve(DevApiKey.FILE_NAME) + ")");
        }
        if (!config.collectorAuth()) {
            String tenant = config.collectorWithoutKeys().anonymousTenant();
            return new Sender(options.apiKey().orElse("demo"), tenant, "auth OFF (collector.auth.enabled=false):"
                    + " every request is accepted for tenant '" + tenant + "'");
        }
        String key = options.apiKey().orElseThrow(() -> new IllegalArgumentException("collector.api.keys is set, so"
                + " the demo must send with one of those keys: pass --api-key KEY"));
        String tenant = config.apiKeys().get(DevApiKey.hash(key));
        if (tenant == null) {
            throw new IllegalArgumentException("the key given with --api-key is not one of collector.api.keys");
        }
        return new Sender(key, tenant, "API key from --api-key (tenant '" + tenant + "')");
    }

    /** The demo's data directory, wiped unless {@code --keep-data}; never one that holds {@code up}'s data. */
    static Path prepareDataDir(DemoOptions options, Settings user) {
        Path dir = options.dataDir().toAbsolutePath().normalize();
        Path upData = Path.of(user.string("data.dir")).toAbsolutePath().normalize();
        if (upData.startsWith(dir) || dir.startsWith(upData)) {
            throw new IllegalArgumentException("the demo's data directory " + dir + " overlaps the data of 'up' ("
                    + upData + ", setting data.dir); choose another with --data-dir");
        }
        if (!options.keepData()) {
            deleteRecursively(dir);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the demo's data directory " + dir, e);
        }
        return dir;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe the demo's data directory " + dir
                    + " (is another demo running on it?)", e);
        }
    }

    private static ClickHouseConfig withUrl(ClickHouseConfig c, String url) {
        return new ClickHouseConfig(url, c.database(), c.user(), c.password(), c.batchRows(), c.batchAge(),
                c.findingsBatchAge());
    }

    private static String loopbackIfWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    private static void awaitInterrupt() {
        try {
            new java.util.concurrent.CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(ScheduledExecutorService executor) {
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static Duration elapsed(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    static String human(Duration d) {
        if (d.toHours() >= 48) {
            return trim(d.toMinutes() / 1440.0) + " d";
        }
        if (d.toMinutes() >= 120) {
            return trim(d.toMinutes() / 60.0) + " h";
        }
        if (d.toSeconds() >= 120) {
            return trim(d.toSeconds() / 60.0) + " min";
        }
        return trim(d.toMillis() / 1000.0) + " s";
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    /** Redraws the progress lines: the fleet's counters and the findings so far from ClickHouse. */
    private static final class Ticker {
        private final DemoFleet fleet;
        private final Optional<ClickHouseLabels> labels;
        private final String tenant;
        private final long sinceMillis;
        private final Supplier<Optional<String>> pipelineProblem;
        private final PrintStream out;
        private final boolean interactive;
        private FleetProgress previous;
        private Map<String, Long> findings = new TreeMap<>();
        private boolean drawn;
        private int linesDrawn;

        Ticker(DemoFleet fleet, Optional<ClickHouseLabels> labels, String tenant, long sinceMillis,
               Supplier<Optional<String>> pipelineProblem, PrintStream out, boolean interactive) {
            this.fleet = fleet;
            this.labels = labels;
            this.tenant = tenant;
            this.sinceMillis = sinceMillis;
            this.pipelineProblem = pipelineProblem;
            this.out = out;
            this.interactive = interactive;
            this.previous = fleet.progress();
        }

        synchronized void update() {
            FleetProgress now = fleet.progress();
            try {
                labels.ifPresent(l -> findings = l.findingsByDetector(tenant, sinceMillis));
            } catch (RuntimeException e) {
                // Progress is best effort: the last counts stay on screen, the report is exact.
                LOG.debug("demo progress query failed reason={}", e.toString());
            }
            List<String> lines = new ArrayList<>(DemoProgress.render(now, previous, findings));
            pipelineProblem.get().ifPresent(problem -> lines.add("    WARNING: " + problem));
            previous = now;
            if (interactive && drawn && lines.size() != linesDrawn) {
                // The block grew: redraw below instead of over the lines above it.
                drawn = false;
            }
            if (interactive && drawn) {
                out.print("\033[" + linesDrawn + "A");
            }
            for (String line : lines) {
                out.print(interactive ? "\033[2K" + line + "\n" : line + "\n");
            }
            out.flush();
            drawn = true;
            linesDrawn = lines.size();
        }
    }
}
