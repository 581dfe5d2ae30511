package dev.agentwatch.cli;

import dev.agentwatch.collector.Collector;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code agentwatch} command line.
 *
 * <pre>
 *   agentwatch up [--config FILE]     start the whole stack and keep it running until Ctrl-C
 *   agentwatch demo [options]         the stack plus a simulated fleet with labelled failures, live
 *                                     progress and a detection report (see {@link DemoOptions#usage()})
 *   agentwatch collector              only the collector, against an external Kafka
 *   agentwatch detectors              only the detectors, against external Kafka and ClickHouse
 *   agentwatch migrate                create topics and apply ClickHouse migrations, then exit
 *   agentwatch alerts dry-run --config ALERTS.yaml --finding FINDING.json
 *                                     show where a finding would be routed and what would be sent
 *   agentwatch fetch-chdb             download and verify the chDB library into the cache
 *   agentwatch help
 * </pre>
 */
public final class Main {
    /** The commands that take no argument but {@code --config FILE}. */
    private static final Set<String> STACK_COMMANDS = Set.of("up", "collector", "detectors", "migrate",
            "fetch-chdb");

    private Main() {
    }

    public static void main(String[] args) {
        Collector.limitRequestArrival();
        PrintStream out = System.out;
        List<String> rest = new ArrayList<>(List.of(args));
        String command = rest.isEmpty() ? "help" : rest.removeFirst();
        try {
            if (STACK_COMMANDS.contains(command) && helpWanted(command, rest)) {
                usage(out);
                return;
            }
            Path configFile = configFile(rest);
            switch (command) {
                case "up" -> run(Role.ALL, configFile, out);
                case "demo" -> demo(rest, configFile, out);
                case "collector" -> run(Role.COLLECTOR, configFile, out);
                case "detectors" -> run(Role.DETECTORS, configFile, out);
                case "migrate" -> migrate(configFile, out);
                case "alerts" -> AlertsCommand.run(rest, out);
                case "fetch-chdb" -> dev.agentwatch.embedded.clickhouse.ChdbLibrary.main(new String[0]);
                case "help", "--help", "-h" -> usage(out);
                default -> {
                    System.err.println("unknown command '" + command + "'");
                    usage(System.err);
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("agentwatch: configuration error: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("agentwatch: " + e.getMessage());
            e.printStackTrace(System.err);
            System.exit(1);
        }
    }

    /**
     * Whether {@code args} of a command that takes only {@code --config FILE} ask for help.
     *
     * @throws IllegalArgumentException on any other argument: a mistyped option must not start a stack
     */
    static boolean helpWanted(String command, List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                return true;
            }
            if (arg.equals("--config")) {
                i++;
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "' for " + command
                        + ": it takes only --config FILE (agentwatch help)");
            }
        }
        return false;
    }

    private static Path configFile(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--config")) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("--config needs a file name");
                }
                Path file = Path.of(args.get(i + 1));
                if (!Files.isReadable(file)) {
                    throw new IllegalArgumentException("config file " + file + " is not readable");
                }
                return file;
            }
        }
        Path local = Path.of("agentwatch.properties");
        return Files.isReadable(local) ? local : null;
    }

    private static void demo(List<String> args, Path configFile, PrintStream out) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(DemoOptions.usage());
            return;
        }
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("agentwatch demo: " + e.getMessage());
            System.err.println("run './agentwatch demo --help' for the options");
            System.exit(2);
            return;
        }
        Thread demoThread = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // Ctrl-C: stop the fleet, let the demo close the stack, then let the JVM exit.
            demoThread.interrupt();
            try {
                finished.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "agentwatch-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            DemoCommand.run(options, configFile, System.getenv(), out,
                    System.console() != null && System.console().isTerminal());
        } finally {
            finished.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            return; // Ctrl-C came in: the JVM is exiting already.
        }
        out.flush();
        System.exit(0);
    }

    private static void migrate(Path configFile, PrintStream out) {
        StackConfig config = StackConfig.from(Settings.load(configFile, System.getenv()));
        try (Stack stack = Stack.start(config, Role.MIGRATE, out)) {
            out.println("agentwatch migrate: topics and schema are ready on " + stack.kafkaBootstrap() + " and "
                    + stack.clickHouseUrl());
        }
    }

    private static void run(Role role, Path configFile, PrintStream out) {
        Settings settings = Settings.load(configFile, System.getenv());
        StackConfig config = StackConfig.from(settings);
        String command = role == Role.ALL ? "up" : role.name().toLowerCase(java.util.Locale.ROOT);
        out.println("agentwatch " + command + ": settings" + (configFile == null ? "" : " (from " + configFile + ")")
                + "\n" + settings.describe());
        long started = System.nanoTime();
        Stack stack = Stack.start(config, role, out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("agentwatch: stopping (Ctrl-C) ...");
            stack.close();
            out.println("agentwatch: stopped cleanly");
            stopped.countDown();
        }, "agentwatch-shutdown"));
        out.printf("%n%s is up in %.1f s%n", role == Role.ALL ? "agentwatch" : "agentwatch " + command,
                (System.nanoTime() - started) / 1e9);
        if (stack.collector() != null) {
            out.println("  OTLP/HTTP traces   http://" + config.collectorWithoutKeys().host() + ":"
                    + stack.collector().httpPort() + "/v1/traces");
            if (stack.collector().grpcPort() >= 0) {
                out.println("  OTLP/gRPC traces   " + config.collectorWithoutKeys().host() + ":"
                        + stack.collector().grpcPort() + "  (TraceService/Export)");
            }
            out.println("  outcomes           http://" + config.collectorWithoutKeys().host() + ":"
                    + stack.collector().httpPort() + "/v1/outcomes");
            out.println("  collector metrics  http://" + config.collectorWithoutKeys().host() + ":"
                    + stack.collector().httpPort() + "/metrics  (health: /health)");
        }
        if (stack.clickHouseUrl() != null) {
            out.println("  ClickHouse HTTP    " + stack.clickHouseUrl() + "  (database " + config.clickHouse().database()
                    + "; Grafana: grafana-clickhouse-datasource, protocol http)");
        }
        out.println("  Kafka              " + stack.kafkaBootstrap());
        if (stack.detectorsHealth() != null) {
            out.println("  detectors health   http://" + config.detectorsHttpHost() + ":" + stack.detectorsHealth().port()
                    + "/health  (metrics: /metrics)");
        }
        if (role.detectors) {
            out.println("  alerts             " + config.alerts().describe(
                    stack.alertNotifier() == null ? config.alerts().notifier().apiPort() : stack.alertNotifier().apiPort()));
        }
        if (stack.devApiKey() != null) {
            out.println("  API key (dev)      " + stack.devApiKey() + "  (tenant 'default'; kept in "
                    + config.dataDir().resolve(DevApiKey.FILE_NAME) + ")");
            out.println("                     send it as 'Authorization: Bearer <key>'");
        } else if (!config.collectorAuth()) {
            out.println("  auth               OFF: every request is accepted for tenant 'default'");
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void usage(PrintStream out) {
        out.println("""
                usage: agentwatch <command> [--config FILE]

                commands:
                  up           start Kafka, ClickHouse, the collector and the detectors; Ctrl-C stops
                  demo         the stack plus a simulated agent fleet with labelled failures, live
                               progress and a detection report (demo --help for the options)
                  collector    run only the collector (needs kafka.bootstrap.servers)
                  detectors    run only the detectors (needs kafka.bootstrap.servers and clickhouse.url)
                  migrate      create topics and apply ClickHouse migrations, then exit
                  alerts dry-run --config ALERTS.yaml --finding FINDING.json
                               validate an alert routing file and show which receivers a finding
                               would reach and the payload they would get (secrets masked)
                  fetch-chdb   download and verify the chDB library (libchdb.so) into the cache
                  test         (script only) run the test suite: mvn verify
                  help         this text

                Settings: defaults, then FILE (or ./agentwatch.properties), then AGENTWATCH_* variables.""");
    }
}
