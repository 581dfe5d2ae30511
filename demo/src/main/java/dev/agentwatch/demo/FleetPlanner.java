package dev.agentwatch.demo;

import java.time.Instant;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The fleet's run sequence as a pure function of the index: run {@code i} gets its own random
 * stream derived from (seed, i), its agent, its scheduled simulated start and whether the
 * rollout is live. The same configuration and schedule give the same plans, in any order.
 */
public final class FleetPlanner {
    private final FleetConfig config;
    private final FleetSchedule schedule;
    private final RunPlanner planner;
    private final RunPlanner cleanPlanner;
    private final Instant rolloutAt;

    public FleetPlanner(FleetConfig config, FleetSchedule schedule) {
        this.config = Objects.requireNonNull(config, "config");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.planner = new RunPlanner(config.failures(), config.fleetId());
        this.cleanPlanner = new RunPlanner(FailureMix.none(), config.fleetId());
        this.rolloutAt = schedule.simStart().plusNanos(Math.round(config.simulatedSpan().toNanos() * config.rolloutAt()));
    }

    public RunPlan plan(long index) {
        return plan(planner, index);
    }

    /** Run {@code index} with no failure injected (cooldown traffic); the same agent and start as {@link #plan}. */
    public RunPlan planClean(long index) {
        return plan(cleanPlanner, index);
    }

    private RunPlan plan(RunPlanner runPlanner, long index) {
        SplittableRandom rng = new SplittableRandom(mix(config.seed(), index));
        AgentKind agent = config.agents().get(rng.nextInt(config.agents().size()));
        Instant start = schedule.simStart(index);
        return runPlanner.plan(index, agent, start, !start.isBefore(rolloutAt), rng);
    }

    /** Simulated time from which the claims agent decides with the new model. */
    public Instant rolloutAt() {
        return rolloutAt;
    }

    /** SplitMix64 finalizer over (seed, index): independent-looking streams per run. */
    private static long mix(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
