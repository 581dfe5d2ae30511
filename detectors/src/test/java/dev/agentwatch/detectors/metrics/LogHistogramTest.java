package dev.agentwatch.detectors.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogHistogramTest {

    @Test
    void percentilesAreWithinOnePercentOfTheExactOnesOverSixDecades() {
        SplittableRandom random = new SplittableRandom(3);
        LogHistogram histogram = new LogHistogram();
        long[] values = new long[20_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(random.nextDouble(Math.log(5_000_000)));
            histogram.record(values[i]);
        }
        Arrays.sort(values);

        for (double p : new double[] {1, 10, 50, 90, 95, 99, 99.9}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            assertThat((double) histogram.valueAtPercentile(p)).as("p%s", p).isCloseTo(exact, within(exact * 0.01 + 1));
        }
        assertThat(histogram.valueAtPercentile(100)).isEqualTo(values[values.length - 1]);
        assertThat(histogram.max()).isEqualTo(values[values.length - 1]);
        assertThat(histogram.totalCount()).isEqualTo(values.length);
    }

    @Test
    void smallAndZeroValuesStayExact() {
        LogHistogram histogram = new LogHistogram();
        for (long v : new long[] {0, 0, 1, 2, 3, 7, 50}) {
            histogram.record(v);
        }

        List<Long> representatives = new ArrayList<>();
        histogram.forEachBucket((value, count) -> representatives.add(value));

        assertThat(representatives).containsExactly(0L, 1L, 2L, 3L, 7L, 50L);
        assertThat(histogram.valueAtPercentile(20)).isZero();
        assertThat(histogram.valueAtPercentile(50)).isEqualTo(2);
        assertThat(new LogHistogram().valueAtPercentile(50)).isZero();
    }

    @Test
    void roundTripsThroughItsEncodingInAFewBytes() throws IOException {
        LogHistogram histogram = new LogHistogram();
        for (int i = 0; i < 1000; i++) {
            histogram.record(800_000 + (i % 7) * 1_000);
        }
        histogram.record(0);
        histogram.recordWithCount(42, 5);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        histogram.writeTo(new DataOutputStream(bytes));
        LogHistogram copy = LogHistogram.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(bytes.size()).isLessThan(40);
        assertThat(copy.totalCount()).isEqualTo(1006);
        assertThat(copy.max()).isEqualTo(806_000);
        for (double p : new double[] {0.1, 1, 50, 99, 100}) {
            assertThat(copy.valueAtPercentile(p)).isEqualTo(histogram.valueAtPercentile(p));
        }
    }

    @Test
    void readsTheValueCountPairsOfStateWrittenByTheHdrHistogramVersion() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(2);
        out.writeLong(100);
        out.writeLong(3);
        out.writeLong(2_000);
        out.writeLong(1);

        LogHistogram histogram = StepStats.readValueCountPairs(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(histogram.totalCount()).isEqualTo(4);
        assertThat(histogram.max()).isEqualTo(2_000);
        assertThat(histogram.valueAtPercentile(50)).isEqualTo(100);
    }
}
