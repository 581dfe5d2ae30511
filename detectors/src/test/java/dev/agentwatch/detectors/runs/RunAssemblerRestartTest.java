package dev.agentwatch.detectors.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentwatch.detectors.DetectionConfig;
import dev.agentwatch.detectors.DetectorMetrics;
import dev.agentwatch.detectors.TestRuns;
import dev.agentwatch.model.Run;
import dev.agentwatch.model.RunStatus;
import dev.agentwatch.model.Step;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The run assembler across a restart of its task, on the same stores (as a restarted task finds
 * them, restored from their changelogs): the TopologyTestDriver deletes its state when closed.
 */
class RunAssemblerRestartTest {
    private static final RunAssemblyConfig ASSEMBLY = new RunAssemblyConfig(Duration.ofMinutes(5), Duration.ofHours(1),
            Duration.ofSeconds(30), 1000, Duration.ofSeconds(1));
    private static final DetectionConfig CONFIG = DetectionConfig.defaults().withRuns(ASSEMBLY);

    private final KeyValueStore<String, RunState> runs = Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(RunTopology.RUNS_STORE), Serdes.String(), new RunStateSerde())
            .withLoggingDisabled().build();
    private final KeyValueStore<Bytes, byte[]> deadlines = Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(RunTopology.DEADLINES_STORE), Serdes.Bytes(), Serdes.ByteArray())
            .withLoggingDisabled().build();

    /** A run whose agent died before its root, and a restart after which no new trace reaches its partition. */
    @Test
    void aPartitionQuietAfterARestartStillClosesItsOpenRunsAsUnfinished() {
        long wall = 1_000_000;
        MockProcessorContext<String, Object> before = context(wall);
        RunAssembler first = started(before);
        Step orphan = TestRuns.llm("0000000000000001", 0).build();
        first.process(new Record<>(orphan.runId(), orphan, orphan.endEpochNanos() / 1_000_000));
        punctuate(before, PunctuationType.STREAM_TIME, orphan.endEpochNanos() / 1_000_000);
        assertThat(closedRuns(before)).isEmpty();

        wall += 60_000;
        MockProcessorContext<String, Object> after = context(wall);
        started(after);
        // Idle for idleAfter, then for the inactivity gap.
        for (long elapsed : List.of(1_000L, 31_000L, 6 * 60_000L)) {
            after.setCurrentSystemTimeMs(wall + elapsed);
            punctuate(after, PunctuationType.WALL_CLOCK_TIME, wall + elapsed);
        }

        assertThat(closedRuns(after)).singleElement().satisfies(run -> {
            assertThat(run.runId()).isEqualTo(orphan.runId());
            assertThat(run.status()).isEqualTo(RunStatus.UNFINISHED);
        });
    }

    private MockProcessorContext<String, Object> context(long wallMillis) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "runs-restart-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<String, Object> context = new MockProcessorContext<>(props);
        context.setCurrentSystemTimeMs(wallMillis);
        context.addStateStore(runs);
        context.addStateStore(deadlines);
        return context;
    }

    private RunAssembler started(MockProcessorContext<String, Object> context) {
        if (!runs.isOpen()) {
            runs.init(context.getStateStoreContext(), runs);
            deadlines.init(context.getStateStoreContext(), deadlines);
        }
        RunAssembler assembler = new RunAssembler(CONFIG, CONFIG.runDetectors(), new DetectorMetrics());
        assembler.init(context);
        return assembler;
    }

    private static void punctuate(MockProcessorContext<String, Object> context, PunctuationType type, long timestamp) {
        context.scheduledPunctuators().stream().filter(p -> p.getType() == type)
                .forEach(p -> p.getPunctuator().punctuate(timestamp));
    }

    private static List<Run> closedRuns(MockProcessorContext<String, Object> context) {
        return context.forwarded().stream().map(forwarded -> forwarded.record().value())
                .filter(Run.class::isInstance).map(Run.class::cast).toList();
    }
}
