package dev.agentwatch.detectors;

import dev.agentwatch.model.Step;

/**
 * Kafka timestamps for records whose time comes from an agent's clock. A broker refuses a record
 * stamped more than {@code log.message.timestamp.after.max.ms} (an hour by default) ahead of its
 * own clock, and a refused record stops the Streams app that sent it: one agent with a clock
 * hours ahead would halt a pipeline. So event time is kept while it is plausible and capped at a
 * minute past the record's arrival, or past the wall clock when that is later (a replay of old
 * traffic). The values themselves (step, run, finding times) keep what the agent said.
 */
public final class RecordTimes {
    /** How far past its arrival a record's event time is believed. */
    public static final long FUTURE_TOLERANCE_MILLIS = 60_000;

    private RecordTimes() {
    }

    /** {@code eventMillis}, capped at {@link #FUTURE_TOLERANCE_MILLIS} past the later of arrival and wall clock. */
    public static long bounded(long eventMillis, long arrivalMillis, long wallClockMillis) {
        long cap = Math.max(arrivalMillis, wallClockMillis) + FUTURE_TOLERANCE_MILLIS;
        return Math.max(0, Math.min(eventMillis, cap));
    }

    /** A step's record time: its end, bounded as {@link #bounded} does; the arrival for a span without an end. */
    public static long ofStep(Step step, long arrivalMillis, long wallClockMillis) {
        long eventMillis = step.endEpochNanos() / 1_000_000;
        return eventMillis > 0 ? bounded(eventMillis, arrivalMillis, wallClockMillis) : arrivalMillis;
    }
}
