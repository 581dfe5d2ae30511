package dev.agentwatch.detectors.health;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Whether the detectors are doing their job, for a health check and for on-call: every pipeline
 * running, no pipeline or sink failing over and over, no table unwritable for long. Pure: built
 * by {@link #assess} from readings taken elsewhere.
 *
 * @param status      {@code ok}, {@code pipeline_failing} (a Streams app stopped or keeps
 *                    replacing failed threads: spans are not being processed) or
 *                    {@code clickhouse_failing} (writes keep failing: results wait in Kafka,
 *                    nothing is lost, but dashboards and alerts fall behind)
 * @param problems    what is wrong, one sentence each, empty when ok
 * @param pipelines   each pipeline's Kafka Streams state
 * @param sinkFailingSeconds tables whose writes are failing now, with how long for
 */
public record HealthReport(String status, List<String> problems, Map<String, String> pipelines,
                           @JsonProperty("sink_failing_seconds") Map<String, Long> sinkFailingSeconds) {
    public static final String OK = "ok";
    public static final String PIPELINE_FAILING = "pipeline_failing";
    public static final String CLICKHOUSE_FAILING = "clickhouse_failing";

    /** What counts as failing. */
    public record Limits(int maxRecoveriesInWindow, Duration window, Duration maxWriteFailure) {
        public Limits {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(maxWriteFailure, "maxWriteFailure");
            if (maxRecoveriesInWindow < 1) {
                throw new IllegalArgumentException("maxRecoveriesInWindow must be at least 1");
            }
        }

        /** Three recoveries in 10 minutes; writes failing for a minute (ClickHouse restarts take less). */
        public static Limits defaults() {
            return new Limits(3, Duration.ofMinutes(10), Duration.ofMinutes(1));
        }
    }

    public HealthReport {
        Objects.requireNonNull(status, "status");
        problems = List.copyOf(problems);
        pipelines = Collections.unmodifiableMap(new TreeMap<>(pipelines));
        sinkFailingSeconds = Collections.unmodifiableMap(new TreeMap<>(sinkFailingSeconds));
    }

    public boolean ok() {
        return status.equals(OK);
    }

    /**
     * @param pipelines          each pipeline's state now
     * @param threadFailures     stream threads that failed and were replaced, per pipeline, within the window
     * @param sinkRestarts       sinks restarted after an unexpected failure, per table, within the window
     * @param sinkFailingMillis  tables whose current write has been failing, and for how long
     */
    public static HealthReport assess(Map<String, KafkaStreams.State> pipelines, Map<String, Integer> threadFailures,
                                      Map<String, Integer> sinkRestarts, Map<String, Long> sinkFailingMillis,
                                      Limits limits) {
        List<String> pipelineProblems = new ArrayList<>();
        Map<String, String> states = new TreeMap<>();
        pipelines.forEach((name, state) -> {
            states.put(name, state.name());
            // CREATED and REBALANCING are a pipeline starting or moving partitions, not a fault.
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                    || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN) {
                pipelineProblems.add("pipeline " + name + " is " + state);
            }
        });
        String window = minutes(limits.window());
        new TreeMap<>(threadFailures).forEach((name, count) -> {
            if (count >= limits.maxRecoveriesInWindow()) {
                pipelineProblems.add("pipeline " + name + " replaced a failed stream thread " + count + " times in the last "
                        + window + " (see the detectors log)");
            }
        });
        new TreeMap<>(sinkRestarts).forEach((table, count) -> {
            if (count >= limits.maxRecoveriesInWindow()) {
                pipelineProblems.add("the " + table + " sink restarted after a failure " + count + " times in the last "
                        + window + " (see the detectors log)");
            }
        });
        List<String> writeProblems = new ArrayList<>();
        Map<String, Long> failingSeconds = new TreeMap<>();
        new TreeMap<>(sinkFailingMillis).forEach((table, millis) -> {
            failingSeconds.put(table, millis / 1000);
            if (millis >= limits.maxWriteFailure().toMillis()) {
                writeProblems.add("writes to ClickHouse table " + table + " have failed for " + millis / 1000
                        + " s; rows wait in Kafka");
            }
        });
        List<String> problems = new ArrayList<>(pipelineProblems);
        problems.addAll(writeProblems);
        String status = !pipelineProblems.isEmpty() ? PIPELINE_FAILING : !writeProblems.isEmpty() ? CLICKHOUSE_FAILING : OK;
        return new HealthReport(status, problems, states, failingSeconds);
    }

    private static String minutes(Duration window) {
        return window.toMinutes() + " min";
    }
}
