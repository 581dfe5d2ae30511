package dev.agentwatch.detectors.metrics;

import dev.agentwatch.model.AgentMetrics;
import dev.agentwatch.model.Run;
import dev.agentwatch.topics.UnsynchronizedByteArrayInputStream;
import dev.agentwatch.topics.UnsynchronizedByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The running aggregate of one minute of one (tenant, agent, version): run counts by outcome,
 * exact steps-per-run and model-calls-per-run distributions (small integers), and a
 * {@link LogHistogram} of run durations in milliseconds. Mutable, confined to one stream thread.
 */
final class AgentStats {
    private static final int VERSION = 3;
    /** Version 2 kept the duration histogram as HdrHistogram (value, count) pairs; still read. */
    private static final int VERSION_HDR_PAIRS = 2;

    private String tenant = "";
    private String agentName = "";
    private String agentVersion = "";
    private long runs;
    private long ok;
    private long error;
    private long unfinished;
    private long withFailedSteps;
    private long handoff;
    private long inputTokens;
    private long outputTokens;
    private double costUsd;
    private final TreeMap<Long, Long> stepsPerRun = new TreeMap<>();
    private final TreeMap<Long, Long> modelCallsPerRun = new TreeMap<>();
    private final LogHistogram durationMillis;

    AgentStats() {
        this(new LogHistogram());
    }

    private AgentStats(LogHistogram durationMillis) {
        this.durationMillis = durationMillis;
    }

    AgentStats add(Run run) {
        if (runs == 0) {
            tenant = run.tenant();
            agentName = run.agentName();
            agentVersion = run.agentVersion();
        }
        runs++;
        switch (run.status()) {
            case OK -> ok++;
            case ERROR -> error++;
            case UNFINISHED -> unfinished++;
        }
        withFailedSteps += run.errors() > 0 ? 1 : 0;
        handoff += run.handoffs() > 0 ? 1 : 0;
        inputTokens += run.inputTokens();
        outputTokens += run.outputTokens();
        costUsd += run.costUsd();
        stepsPerRun.merge((long) run.steps(), 1L, Long::sum);
        modelCallsPerRun.merge((long) run.llmCalls(), 1L, Long::sum);
        durationMillis.record(run.durationNanos() / 1_000_000);
        return this;
    }

    AgentMetrics toMetrics(long windowStartEpochMillis) {
        return new AgentMetrics(windowStartEpochMillis, tenant, agentName, agentVersion, runs, ok, error, unfinished,
                withFailedSteps, handoff, new ArrayList<>(stepsPerRun.keySet()), new ArrayList<>(stepsPerRun.values()),
                new ArrayList<>(modelCallsPerRun.keySet()), new ArrayList<>(modelCallsPerRun.values()),
                runs == 0 ? 0 : durationMillis.valueAtPercentile(50), runs == 0 ? 0 : durationMillis.valueAtPercentile(95),
                inputTokens, outputTokens, costUsd);
    }


    static Serde<AgentStats> serde() {
        return Serdes.serdeFrom((topic, stats) -> stats == null ? null : stats.encode(),
                (topic, bytes) -> bytes == null ? null : decode(bytes));
    }

    private byte[] encode() {
        UnsynchronizedByteArrayOutputStream bytes = new UnsynchronizedByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(tenant);
            out.writeUTF(agentName);
            out.writeUTF(agentVersion);
            for (long value : new long[] {runs, ok, error, unfinished, withFailedSteps, handoff, inputTokens, outputTokens}) {
                out.writeLong(value);
            }
            out.writeDouble(costUsd);
            writeCounts(out, stepsPerRun);
            writeCounts(out, modelCallsPerRun);
            durationMillis.writeTo(out);
        } catch (IOException e) {
            throw new SerializationException("cannot encode agent stats", e);
        }
        return bytes.toByteArray();
    }

    private static void writeCounts(DataOutputStream out, Map<Long, Long> counts) throws IOException {
        out.writeInt(counts.size());
        for (Map.Entry<Long, Long> entry : counts.entrySet()) {
            out.writeLong(entry.getKey());
            out.writeLong(entry.getValue());
        }
    }

    private static void readCounts(DataInputStream in, Map<Long, Long> counts) throws IOException {
        int size = in.readInt();
        for (int i = 0; i < size; i++) {
            counts.put(in.readLong(), in.readLong());
        }
    }

    private static AgentStats decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new UnsynchronizedByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION && version != VERSION_HDR_PAIRS) {
                throw new SerializationException("unknown agent stats version " + version);
            }
            String tenant = in.readUTF();
            String agentName = in.readUTF();
            String agentVersion = in.readUTF();
            long[] values = new long[8];
            for (int i = 0; i < values.length; i++) {
                values[i] = in.readLong();
            }
            double cost = in.readDouble();
            TreeMap<Long, Long> steps = new TreeMap<>();
            readCounts(in, steps);
            TreeMap<Long, Long> calls = new TreeMap<>();
            readCounts(in, calls);
            AgentStats stats = new AgentStats(version == VERSION ? LogHistogram.readFrom(in)
                    : StepStats.readValueCountPairs(in));
            stats.tenant = tenant;
            stats.agentName = agentName;
            stats.agentVersion = agentVersion;
            stats.runs = values[0];
            stats.ok = values[1];
            stats.error = values[2];
            stats.unfinished = values[3];
            stats.withFailedSteps = values[4];
            stats.handoff = values[5];
            stats.inputTokens = values[6];
            stats.outputTokens = values[7];
            stats.costUsd = cost;
            stats.stepsPerRun.putAll(steps);
            stats.modelCallsPerRun.putAll(calls);
            return stats;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode agent stats", e);
        }
    }
}
