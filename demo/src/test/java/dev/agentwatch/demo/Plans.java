package dev.agentwatch.demo;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;

/** Fleets planned without emitting, for shape tests. */
final class Plans {
    static final Instant WALL_START = Instant.parse("2026-11-20T12:00:00Z");
    static final Instant SIM_START = Instant.parse("2026-11-10T00:00:00Z");

    private Plans() {
    }

    static FleetConfig config(long seed, FailureMix mix) {
        return new FleetConfig("test", seed, 20, List.of(AgentKind.values()), Duration.ofMinutes(4), 0, 5760, mix, 0.5,
                URI.create("http://127.0.0.1:4318"), "key", "acme", false, false, Duration.ZERO, Optional.empty(), Optional.of(SIM_START));
    }

    static FleetPlanner planner(FleetConfig config) {
        return new FleetPlanner(config, new FleetSchedule(WALL_START, SIM_START, config.compression(), config.ratePerSecond()));
    }

    static List<RunPlan> plans(long seed, FailureMix mix, int count) {
        FleetPlanner planner = planner(config(seed, mix));
        return LongStream.range(0, count).mapToObj(planner::plan).toList();
    }
}
