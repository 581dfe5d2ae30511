package dev.agentwatch.cli;

import dev.agentwatch.demo.AgentKind;
import dev.agentwatch.demo.FailureMix;
import dev.agentwatch.demo.FleetConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The options of {@code agentwatch demo}, validated.
 *
 * @param duration     wall-clock time the fleet injects failures; outcomes then drain on top
 * @param ratePerSecond runs started per wall-clock second
 * @param agents       which simulated agents run
 * @param failures     failure mix
 * @param seed         seeds every random choice of the fleet: the same seed plans the same runs
 * @param compression  simulated seconds per wall-clock second
 * @param keepRunning  leave the stack up after the report (for Grafana) until Ctrl-C
 * @param keepData     do not wipe the demo's data directory at start
 * @param dataDir      the demo's own data directory, never {@code up}'s
 * @param collector    an external collector to send to instead of starting the stack
 * @param apiKey       API key to send with; needed with {@code --collector} or configured keys
 * @param tenant       the tenant the API key maps to at an external collector (for the report)
 */
record DemoOptions(Duration duration, double ratePerSecond, List<AgentKind> agents, FailureMix failures, long seed,
                   double compression, boolean keepRunning, boolean keepData, Path dataDir, Optional<URI> collector,
                   Optional<String> apiKey, Optional<String> tenant) {
    static final Duration DEFAULT_DURATION = Duration.ofSeconds(90);
    static final double DEFAULT_RATE = 10;
    static final double DEFAULT_COMPRESSION = 17_280;
    static final Path DEFAULT_DATA_DIR = Path.of(".agentwatch", "demo");
    private static final Set<String> OPTIONS_WITH_VALUES = Set.of("--config", "--duration", "--rate", "--agents",
            "--failures", "--seed", "--compression", "--data-dir", "--collector", "--api-key", "--tenant");

    DemoOptions {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive, got " + duration);
        }
        if (!(ratePerSecond > 0) || ratePerSecond > 100_000) {
            throw new IllegalArgumentException("--rate must be within (0, 100000] runs per second, got " + ratePerSecond);
        }
        agents = List.copyOf(agents);
        if (agents.isEmpty()) {
            throw new IllegalArgumentException("--agents names no agent; use claims, support, sre");
        }
        Objects.requireNonNull(failures, "failures");
        if (!(compression >= 1) || compression > 10_000_000) {
            throw new IllegalArgumentException("--compression must be within [1, 10000000], got " + compression);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(collector, "collector");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(tenant, "tenant");
        if (collector.isPresent() && apiKey.isEmpty()) {
            throw new IllegalArgumentException("--collector needs --api-key: an external collector maps API keys to tenants");
        }
        if (collector.isPresent() && keepRunning) {
            throw new IllegalArgumentException("--keep-running keeps the demo's own stack up; with --collector there is none");
        }
    }

    static DemoOptions defaults() {
        return new DemoOptions(DEFAULT_DURATION, DEFAULT_RATE, List.of(AgentKind.values()), FailureMix.defaults(), 42,
                DEFAULT_COMPRESSION, false, false, DEFAULT_DATA_DIR, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Parses the arguments after {@code demo}; {@code --config FILE} is left to the caller. */
    static DemoOptions parse(List<String> args) {
        DemoOptions d = defaults();
        Duration duration = d.duration;
        double rate = d.ratePerSecond;
        List<AgentKind> agents = d.agents;
        FailureMix failures = d.failures;
        long seed = d.seed;
        double compression = d.compression;
        boolean keepRunning = false;
        boolean keepData = false;
        Path dataDir = d.dataDir;
        Optional<URI> collector = Optional.empty();
        Optional<String> apiKey = Optional.empty();
        Optional<String> tenant = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            switch (flag) {
                case "--keep-running" -> keepRunning = true;
                case "--keep-data" -> keepData = true;
                default -> {
                    if (!flag.startsWith("--")) {
                        throw new IllegalArgumentException("unexpected argument '" + flag + "'");
                    }
                    if (!OPTIONS_WITH_VALUES.contains(flag)) {
                        throw new IllegalArgumentException("unknown option " + flag);
                    }
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException(flag + " needs a value");
                    }
                    String value = args.get(++i);
                    try {
                        switch (flag) {
                            case "--config" -> {
                                // Read by Main before the demo starts.
                            }
                            case "--duration" -> duration = FleetConfig.parseDuration(value);
                            case "--rate" -> rate = Double.parseDouble(value);
                            case "--agents" -> agents = agents(value);
                            case "--failures" -> failures = FailureMix.parse(value);
                            case "--seed" -> seed = Long.parseLong(value);
                            case "--compression" -> compression = Double.parseDouble(value);
                            case "--data-dir" -> dataDir = Path.of(value);
                            case "--collector" -> collector = Optional.of(URI.create(value));
                            case "--api-key" -> apiKey = Optional.of(value);
                            case "--tenant" -> tenant = Optional.of(value);
                            default -> throw new IllegalStateException("an option with a value is not handled: " + flag);
                        }
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(flag + " needs a number, got '" + value + "'", e);
                    }
                }
            }
        }
        return new DemoOptions(duration, rate, agents, failures, seed, compression, keepRunning, keepData, dataDir,
                collector, apiKey, tenant);
    }

    private static List<AgentKind> agents(String value) {
        List<AgentKind> parsed = new ArrayList<>();
        for (String name : value.split(",")) {
            if (!name.isBlank()) {
                parsed.add(AgentKind.parse(name));
            }
        }
        return parsed;
    }

    /** How long outcomes keep arriving after the last failure-injecting run, in wall-clock time. */
    Duration outcomeDrain() {
        return Duration.ofNanos(Math.round(dev.agentwatch.demo.RunPlanner.maxOutcomeDelay().toNanos() / compression));
    }

    static String usage() {
        return """
                usage: agentwatch demo [options]

                Starts the stack on the embedded services (its own data in .agentwatch/demo, wiped at
                start), runs a simulated fleet of agents with labelled failures and delayed outcomes,
                time compressed, shows live progress, and ends with a detection report.

                options:
                  --duration 90s          how long the fleet injects failures (wall clock; 90s, 2m, PT2M)
                  --rate 10               runs started per second (a load generator at higher rates)
                  --agents claims,support,sre
                  --failures KIND=RATE,.. override the default failure mix; 'none' starts from no failures
                                          (none,loop=0.1). Kinds: swallowed_tool_error, loop,
                                          step_budget_overrun, unfinished_run, latency_spike, cost_spike,
                                          truncated_output, policy_violation, missing_step,
                                          model_rollout_regression, wrong_decision, judge_false_rejection
                  --seed 42               the same seed plans the same runs
                  --compression 17280     simulated seconds per wall second (17280: a day every 5 s)
                  --keep-running          leave the stack up after the report (Grafana); Ctrl-C stops
                  --keep-data             do not wipe the demo's data directory at start
                  --data-dir DIR          the demo's data directory (default .agentwatch/demo)
                  --collector URL         send to a running collector instead (no stack; needs --api-key;
                                          report only when clickhouse.url is set)
                  --api-key KEY           the key to send with (default: the demo's generated dev key)
                  --tenant T              the tenant KEY maps to at that collector (default 'default')
                  --config FILE           settings file, as for 'up' (ports, external Kafka/ClickHouse)""";
    }
}
