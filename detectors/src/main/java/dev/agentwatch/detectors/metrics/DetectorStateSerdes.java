package dev.agentwatch.detectors.metrics;

import dev.agentwatch.detectors.detect.Baseline;
import dev.agentwatch.detectors.detect.ErrorRateSpikeDetector;
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

/** Binary serdes of the agent-level detectors' states, for their RocksDB stores. */
final class DetectorStateSerdes {
    private DetectorStateSerdes() {
    }

    /**
     * A metric key's baselines: their count, each baseline, then the event time last seen (8
     * bytes, absent in states written before it was kept).
     */
    static Serde<StepBaselines> baselines() {
        return Serdes.serdeFrom((topic, baselines) -> {
            if (baselines == null) {
                return null;
            }
            UnsynchronizedByteArrayOutputStream bytes = new UnsynchronizedByteArrayOutputStream(1 + baselines.quantities().size() * 24 + 8);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(baselines.quantities().size());
                for (Baseline b : baselines.quantities()) {
                    out.writeLong(b.samples());
                    out.writeDouble(b.center());
                    out.writeDouble(b.spread());
                }
                out.writeLong(baselines.lastSeenMillis());
            } catch (IOException e) {
                throw new SerializationException(e);
            }
            return bytes.toByteArray();
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new UnsynchronizedByteArrayInputStream(bytes))) {
                int size = in.readUnsignedByte();
                List<Baseline> baselines = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    baselines.add(new Baseline(in.readLong(), in.readDouble(), in.readDouble()));
                }
                return new StepBaselines(baselines, in.available() >= Long.BYTES ? in.readLong() : StepBaselines.NOT_RECORDED);
            } catch (IOException | IllegalArgumentException e) {
                throw new SerializationException("cannot decode baselines", e);
            }
        });
    }

    static Serde<ErrorRateSpikeDetector.State> errorRate() {
        return Serdes.serdeFrom((topic, s) -> {
            if (s == null) {
                return null;
            }
            UnsynchronizedByteArrayOutputStream bytes = new UnsynchronizedByteArrayOutputStream(64);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeLong(s.minute());
                out.writeLong(s.runs());
                out.writeLong(s.failed());
                out.writeUTF(s.agentVersion());
                out.writeDouble(s.baselineRate());
                out.writeLong(s.baselineMinutes());
            } catch (IOException e) {
                throw new SerializationException(e);
            }
            return bytes.toByteArray();
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new UnsynchronizedByteArrayInputStream(bytes))) {
                return new ErrorRateSpikeDetector.State(in.readLong(), in.readLong(), in.readLong(), in.readUTF(),
                        in.readDouble(), in.readLong());
            } catch (IOException | IllegalArgumentException e) {
                throw new SerializationException("cannot decode error-rate state", e);
            }
        });
    }
}
