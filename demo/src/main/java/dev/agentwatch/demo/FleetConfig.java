package dev.agentwatch.demo;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the fleet needs, validated.
 *
 * @param fleetId        names this fleet instance in labels, subjects and outcome attributes
 * @param seed           seeds every random choice: the same seed gives the same runs
 * @param ratePerSecond  runs started per wall-clock second
 * @param agents         which agents run, chosen uniformly per run
 * @param duration       wall-clock time spent starting runs
 * @param maxRuns        stop after this many runs even if time remains; 0 = no limit
 * @param compression    simulated seconds per wall second (5760: one simulated day per 15 s)
 * @param failures       failure mix
 * @param rolloutAt      fraction of the simulated span after which the claims agent's new model is live
 * @param collectorUrl   collector base URL: OTLP/HTTP at {@code /v1/traces}, outcomes at {@code /v1/outcomes}
 * @param apiKey         collector API key (never logged)
 * @param tenant         tenant the API key maps to, recorded in labels and used by the report
 * @param postOutcomes   whether to post delayed ground truth
 * @param drainOutcomes  whether to keep going after the last run until every outcome is posted
 * @param cooldown       after {@code duration}, keep clean traffic flowing (no failures, no
 *                       outcomes) for at least this long, and while outcomes drain: the
 *                       detectors' event-time clock then passes the last runs' inactivity gap
 * @param labelsFile     JSON lines file for run labels, if any
 * @param simStart       simulated time of the first run; empty = chosen so simulated time ends near now
 */
public record FleetConfig(String fleetId, long seed, double ratePerSecond, List<AgentKind> agents, Duration duration,
                          long maxRuns, double compression, FailureMix failures, double rolloutAt, URI collectorUrl,
                          String apiKey, String tenant, boolean postOutcomes, boolean drainOutcomes,
                          Duration cooldown, Optional<Path> labelsFile, Optional<Instant> simStart) {

    public FleetConfig {
        Objects.requireNonNull(fleetId, "fleetId");
        if (!fleetId.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new IllegalArgumentException("fleet id must be 1-32 letters, digits, '-' or '_', got '" + fleetId + "'");
        }
        if (!(ratePerSecond > 0) || ratePerSecond > 100_000) {
            throw new IllegalArgumentException("--rate must be within (0, 100000] runs per second, got " + ratePerSecond);
        }
        agents = List.copyOf(new LinkedHashSet<>(agents));
        if (agents.isEmpty()) {
            throw new IllegalArgumentException("--agents names no agent; use claims, support, sre");
        }
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive, got " + duration);
        }
        if (maxRuns < 0) {
            throw new IllegalArgumentException("--max-runs must not be negative, got " + maxRuns);
        }
        if (!(compression >= 1) || compression > 10_000_000) {
            throw new IllegalArgumentException("--compression must be within [1, 10000000], got " + compression);
        }
        Objects.requireNonNull(failures, "failures");
        if (!(rolloutAt >= 0 && rolloutAt <= 1)) {
            throw new IllegalArgumentException("--rollout-at must be a fraction within 0..1, got " + rolloutAt);
        }
        Objects.requireNonNull(collectorUrl, "collectorUrl");
        if (!"http".equals(collectorUrl.getScheme()) && !"https".equals(collectorUrl.getScheme())
                || collectorUrl.getHost() == null) {
            throw new IllegalArgumentException("--collector must be an http(s) URL like http://127.0.0.1:4318, got '"
                    + collectorUrl + "'");
        }
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(cooldown, "cooldown");
        if (cooldown.isNegative()) {
            throw new IllegalArgumentException("--cooldown must not be negative, got " + cooldown);
        }
        Objects.requireNonNull(labelsFile, "labelsFile");
        Objects.requireNonNull(simStart, "simStart");
    }

    /** Defaults: seed 42, 10 runs/s for 2 minutes, every agent, default failure mix, local collector. */
    public static FleetConfig defaults(String apiKey) {
        return new FleetConfig("demo", 42, 10, List.of(AgentKind.values()), Duration.ofMinutes(2), 0, 5760,
                FailureMix.defaults(), 0.5, URI.create("http://127.0.0.1:4318"), apiKey, "default", true, true,
                Duration.ZERO, Optional.empty(), Optional.empty());
    }

    /** Simulated span covered by the runs. */
    public Duration simulatedSpan() {
        return Duration.ofNanos(Math.round(duration.toNanos() * compression));
    }

    /** Wall-clock time the fleet goes on after {@code duration}, at most: the outcome drain or the cooldown. */
    public Duration afterDuration() {
        Duration drain = outcomeDrain();
        return drain.compareTo(cooldown) >= 0 ? drain : cooldown;
    }

    /** Wall-clock time to wait after the last run for the latest outcome. */
    public Duration outcomeDrain() {
        return postOutcomes && drainOutcomes
                ? Duration.ofNanos(Math.round(RunPlanner.maxOutcomeDelay().toNanos() / compression)) : Duration.ZERO;
    }

    /**
     * Parses command-line flags over {@link #defaults}: {@code --seed N --rate R --agents a,b
     * --duration 2m --max-runs N --compression X --failures kind=rate,... --rollout-at F
     * --collector URL --api-key K --tenant T --labels-file PATH --no-outcomes --no-drain
     * --cooldown 10s --sim-start RFC3339 --fleet-id ID}.
     */
    public static FleetConfig parse(String[] args) {
        FleetConfig c = defaults("");
        String fleetId = c.fleetId;
        long seed = c.seed;
        double rate = c.ratePerSecond;
        List<AgentKind> agents = c.agents;
        Duration duration = c.duration;
        long maxRuns = c.maxRuns;
        double compression = c.compression;
        FailureMix failures = c.failures;
        double rolloutAt = c.rolloutAt;
        URI collector = c.collectorUrl;
        String apiKey = c.apiKey;
        String tenant = c.tenant;
        boolean outcomes = c.postOutcomes;
        boolean drain = c.drainOutcomes;
        Duration cooldown = c.cooldown;
        Optional<Path> labels = c.labelsFile;
        Optional<Instant> simStart = c.simStart;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--no-outcomes" -> outcomes = false;
                case "--no-drain" -> drain = false;
                default -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(flag + " needs a value");
                    }
                    String value = args[++i];
                    try {
                        switch (flag) {
                            case "--fleet-id" -> fleetId = value;
                            case "--seed" -> seed = Long.parseLong(value);
                            case "--rate" -> rate = Double.parseDouble(value);
                            case "--agents" -> {
                                List<AgentKind> parsed = new ArrayList<>();
                                for (String a : value.split(",")) {
                                    if (!a.isBlank()) {
                                        parsed.add(AgentKind.parse(a));
                                    }
                                }
                                agents = parsed;
                            }
                            case "--duration" -> duration = parseDuration(value);
                            case "--cooldown" -> cooldown = parseDuration(value);
                            case "--max-runs" -> maxRuns = Long.parseLong(value);
                            case "--compression" -> compression = Double.parseDouble(value);
                            case "--failures" -> failures = FailureMix.parse(value);
                            case "--rollout-at" -> rolloutAt = Double.parseDouble(value);
                            case "--collector" -> collector = URI.create(value);
                            case "--api-key" -> apiKey = value;
                            case "--tenant" -> tenant = value;
                            case "--labels-file" -> labels = Optional.of(Path.of(value));
                            case "--sim-start" -> simStart = Optional.of(Instant.parse(value));
                            default -> throw new IllegalArgumentException("unknown flag " + flag);
                        }
                    } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
                        throw new IllegalArgumentException(flag + " got a bad value '" + value + "': " + e.getMessage(), e);
                    }
                }
            }
        }
        if (apiKey.isBlank()) {
            throw new IllegalArgumentException("--api-key is required: the collector maps API keys to tenants");
        }
        return new FleetConfig(fleetId, seed, rate, agents, duration, maxRuns, compression, failures, rolloutAt,
                collector, apiKey, tenant, outcomes, drain, cooldown, labels, simStart);
    }

    /** {@code 90s}, {@code 2m}, {@code 1h}, {@code 500ms}, or ISO-8601 ({@code PT2M}). */
    public static Duration parseDuration(String value) {
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (v.startsWith("pt") || v.startsWith("p")) {
                return Duration.parse(value.strip().toUpperCase(java.util.Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException("duration '" + value + "' needs a unit: ms, s, m, h, d");
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("duration '" + value + "' is not like 90s, 2m, 1h or PT2M", e);
        }
    }

    @Override
    public String toString() {
        return "FleetConfig[fleetId=" + fleetId + ", seed=" + seed + ", rate=" + ratePerSecond + "/s, agents="
                + agents + ", duration=" + duration + ", maxRuns=" + maxRuns + ", compression=" + compression
                + ", failures=" + failures + ", rolloutAt=" + rolloutAt + ", collector=" + collectorUrl
                + ", apiKey=" + (apiKey.isEmpty() ? "" : "***") + ", tenant=" + tenant + ", postOutcomes="
                + postOutcomes + ", drainOutcomes=" + drainOutcomes + ", cooldown=" + cooldown + ", labelsFile=" + labelsFile.orElse(null)
                + ", simStart=" + simStart.orElse(null) + "]";
    }
}
