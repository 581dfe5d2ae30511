package dev.agentwatch.detectors.metrics;

import dev.agentwatch.detectors.detect.Baseline;
import dev.agentwatch.detectors.detect.ErrorRateSpikeDetector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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

    /** One baseline per judged quantity, in {@code OutlierDetector.Quantity} order. */
    static Serde<List<Baseline>> baselines() {
        return Serdes.serdeFrom((topic, baselines) -> {
            if (baselines == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 + baselines.size() * 24);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(baselines.size());
                for (Baseline b : baselines) {
                    out.writeLong(b.samples());
                    out.writeDouble(b.center());
                    out.writeDouble(b.spread());
                }
            } catch (IOException e) {
                throw new SerializationException(e);
            }
            return bytes.toByteArray();
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                int size = in.readUnsignedByte();
                List<Baseline> baselines = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    baselines.add(new Baseline(in.readLong(), in.readDouble(), in.readDouble()));
                }
                return baselines;
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
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
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
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                return new ErrorRateSpikeDetector.State(in.readLong(), in.readLong(), in.readLong(), in.readUTF(),
                        in.readDouble(), in.readLong());
            } catch (IOException | IllegalArgumentException e) {
                throw new SerializationException("cannot decode error-rate state", e);
            }
        });
    }
}
