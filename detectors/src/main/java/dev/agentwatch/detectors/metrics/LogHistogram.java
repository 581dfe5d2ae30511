package dev.agentwatch.detectors.metrics;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.ObjLongConsumer;

/**
 * A mergeable histogram of non-negative values in logarithmic buckets (as in DDSketch): a value
 * is reported as its bucket's midpoint, at most 1% away from it, so percentiles carry at most 1%
 * relative error, whatever the range. Sparse: only buckets that hold values exist, so the few
 * distinct latencies of one step in one minute cost a few bytes. Window aggregates are decoded
 * and encoded again on every update (Kafka Streams stores bytes), which made HdrHistogram's full
 * counts array most of the metrics pipeline's CPU. Mutable, not thread-safe.
 */
final class LogHistogram {
    /** Bucket k holds (GAMMA^(k-1), GAMMA^k]; its midpoint is within (GAMMA-1)/(GAMMA+1) ≈ 1% of any value in it. */
    private static final double GAMMA = 1.02;
    private static final double LOG_GAMMA = Math.log(GAMMA);
    /** Bucket index of the value 0, below every bucket of a value ≥ 1 (whose index is ≥ 0). */
    private static final int ZERO = -1;

    private int[] buckets = new int[4];
    private long[] counts = new long[4];
    private int size;
    private long total;
    private long max;

    void record(long value) {
        recordWithCount(value, 1);
    }

    void recordWithCount(long value, long count) {
        if (count <= 0) {
            return;
        }
        long v = Math.max(0, value);
        add(bucketOf(v), count);
        total += count;
        max = Math.max(max, v);
    }

    long totalCount() {
        return total;
    }

    long max() {
        return max;
    }

    /** The value under which {@code percentile}% of the recorded values fall (0 when empty). */
    long valueAtPercentile(double percentile) {
        if (total == 0) {
            return 0;
        }
        if (percentile >= 100) {
            return max;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < size; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, representative(buckets[i]));
            }
        }
        return max;
    }

    /** Each non-empty bucket, lowest first, as (representative value, count). */
    void forEachBucket(ObjLongConsumer<Long> action) {
        for (int i = 0; i < size; i++) {
            action.accept(Math.min(max, representative(buckets[i])), counts[i]);
        }
    }

    /** Count, max, then (bucket delta, count) pairs as varints. */
    void writeTo(DataOutputStream out) throws IOException {
        writeVarint(out, size);
        writeVarint(out, max);
        int previous = ZERO;
        for (int i = 0; i < size; i++) {
            writeVarint(out, buckets[i] - previous);
            writeVarint(out, counts[i]);
            previous = buckets[i];
        }
    }

    static LogHistogram readFrom(DataInputStream in) throws IOException {
        LogHistogram histogram = new LogHistogram();
        int n = (int) readVarint(in);
        histogram.max = readVarint(in);
        histogram.buckets = new int[Math.max(4, n)];
        histogram.counts = new long[Math.max(4, n)];
        int bucket = ZERO;
        for (int i = 0; i < n; i++) {
            bucket += (int) readVarint(in);
            long count = readVarint(in);
            histogram.buckets[i] = bucket;
            histogram.counts[i] = count;
            histogram.total += count;
        }
        histogram.size = n;
        return histogram;
    }

    static int bucketOf(long value) {
        return value == 0 ? ZERO : (int) Math.ceil(Math.log(value) / LOG_GAMMA - 1e-9);
    }

    private static long representative(int bucket) {
        return bucket == ZERO ? 0 : Math.round(2 * Math.pow(GAMMA, bucket) / (GAMMA + 1));
    }

    private void add(int bucket, long count) {
        int at = Arrays.binarySearch(buckets, 0, size, bucket);
        if (at >= 0) {
            counts[at] += count;
            return;
        }
        int insert = -at - 1;
        if (size == buckets.length) {
            buckets = Arrays.copyOf(buckets, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        System.arraycopy(buckets, insert, buckets, insert + 1, size - insert);
        System.arraycopy(counts, insert, counts, insert + 1, size - insert);
        buckets[insert] = bucket;
        counts[insert] = count;
        size++;
    }

    private static void writeVarint(DataOutputStream out, long value) throws IOException {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    private static long readVarint(DataInputStream in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed varint");
    }
}
