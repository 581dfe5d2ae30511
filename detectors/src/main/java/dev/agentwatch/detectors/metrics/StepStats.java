package dev.agentwatch.detectors.metrics;

import dev.agentwatch.model.StepKind;
import dev.agentwatch.model.StepMetrics;
import dev.agentwatch.model.StepSample;
import dev.agentwatch.model.StepSamples;
import dev.agentwatch.topics.UnsynchronizedByteArrayInputStream;
import dev.agentwatch.topics.UnsynchronizedByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The running aggregate of one minute of one (tenant, agent, version, kind, name, model): counts,
 * sums and a {@link LogHistogram} of latencies in microseconds (at most 1% relative error;
 * histograms merge by addition). Mutable, confined to one stream thread.
 */
final class StepStats {
    private static final int VERSION = 3;
    /** Version 2 kept the histogram as HdrHistogram (value, count) pairs; still read. */
    private static final int VERSION_HDR_PAIRS = 2;

    private String tenant = "";
    private String agentName = "";
    private String agentVersion = "";
    private StepKind kind = StepKind.OTHER;
    private String name = "";
    private String model = "";
    private long samples;
    private long errors;
    private long inputTokens;
    private long outputTokens;
    private double costUsd;
    private final LogHistogram latencyMicros;

    StepStats() {
        this(new LogHistogram());
    }

    private StepStats(LogHistogram latencyMicros) {
        this.latencyMicros = latencyMicros;
    }

    StepStats add(StepSample sample) {
        if (samples == 0) {
            tenant = sample.tenant();
            agentName = sample.agentName();
            agentVersion = sample.agentVersion();
            kind = sample.kind();
            name = sample.name();
            model = sample.model();
        }
        samples++;
        errors += sample.failed() ? 1 : 0;
        inputTokens += sample.inputTokens();
        outputTokens += sample.outputTokens();
        costUsd += sample.costUsd();
        latencyMicros.record(Math.max(0, sample.durationNanos() / 1_000));
        return this;
    }

    StepStats addAll(StepSamples batch) {
        batch.samples().forEach(this::add);
        return this;
    }

    long samples() {
        return samples;
    }

    StepMetrics toMetrics(long windowStartEpochMillis) {
        List<Double> buckets = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        latencyMicros.forEachBucket((micros, count) -> {
            buckets.add(micros / 1000.0);
            counts.add(count);
        });
        return new StepMetrics(windowStartEpochMillis, tenant, agentName, agentVersion, kind, name, model, samples, errors,
                percentileMs(50), percentileMs(95), percentileMs(99), latencyMicros.max() / 1000.0, buckets, counts,
                inputTokens, outputTokens, costUsd);
    }

    private double percentileMs(double percentile) {
        return samples == 0 ? 0 : latencyMicros.valueAtPercentile(percentile) / 1000.0;
    }

    static Serde<StepStats> serde() {
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
            out.writeUTF(kind.name());
            out.writeUTF(name);
            out.writeUTF(model);
            out.writeLong(samples);
            out.writeLong(errors);
            out.writeLong(inputTokens);
            out.writeLong(outputTokens);
            out.writeDouble(costUsd);
            latencyMicros.writeTo(out);
        } catch (IOException e) {
            throw new SerializationException("cannot encode step stats", e);
        }
        return bytes.toByteArray();
    }

    private static StepStats decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new UnsynchronizedByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION && version != VERSION_HDR_PAIRS) {
                throw new SerializationException("unknown step stats version " + version);
            }
            String tenant = in.readUTF();
            String agentName = in.readUTF();
            String agentVersion = in.readUTF();
            StepKind kind = StepKind.valueOf(in.readUTF());
            String name = in.readUTF();
            String model = in.readUTF();
            long samples = in.readLong();
            long errors = in.readLong();
            long inputTokens = in.readLong();
            long outputTokens = in.readLong();
            double cost = in.readDouble();
            StepStats stats = new StepStats(version == VERSION ? LogHistogram.readFrom(in) : readValueCountPairs(in));
            stats.tenant = tenant;
            stats.agentName = agentName;
            stats.agentVersion = agentVersion;
            stats.kind = kind;
            stats.name = name;
            stats.model = model;
            stats.samples = samples;
            stats.errors = errors;
            stats.inputTokens = inputTokens;
            stats.outputTokens = outputTokens;
            stats.costUsd = cost;
            return stats;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode step stats", e);
        }
    }

    /** The version-2 histogram: (value, count) pairs. */
    static LogHistogram readValueCountPairs(DataInputStream in) throws IOException {
        LogHistogram histogram = new LogHistogram();
        int distinct = in.readInt();
        for (int i = 0; i < distinct; i++) {
            histogram.recordWithCount(in.readLong(), in.readLong());
        }
        return histogram;
    }
}
