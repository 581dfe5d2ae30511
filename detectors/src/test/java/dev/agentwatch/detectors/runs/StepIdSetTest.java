package dev.agentwatch.detectors.runs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StepIdSetTest {

    @Test
    void aSpanIdIsItsOwnKeyAndAnyOtherIdIsHashed() {
        assertThat(StepIdSet.key("00f067aa0ba902b7")).isEqualTo(0x00f067aa0ba902b7L);
        assertThat(StepIdSet.key("ffffffffffffffff")).isEqualTo(-1L);
        assertThat(StepIdSet.key("step-1")).isEqualTo(StepIdSet.key("step-1")).isNotEqualTo(StepIdSet.key("step-2"));
        assertThat(StepIdSet.key("not-hex-but-16ch")).isEqualTo(StepIdSet.key("not-hex-but-16ch"));
    }

    @Test
    void holdsEachIdOnceInKeyOrderAndEqualsByContent() {
        StepIdSet set = StepIdSet.EMPTY.plus("0000000000000003").plus("0000000000000001").plus("step-x")
                .plus("0000000000000003");

        assertThat(set.size()).isEqualTo(3);
        assertThat(set.contains("0000000000000001")).isTrue();
        assertThat(set.contains("step-x")).isTrue();
        assertThat(set.contains("0000000000000002")).isFalse();
        assertThat(set.key(0)).isLessThan(set.key(1));
        assertThat(StepIdSet.ofKeys(new long[] {set.key(2), set.key(0), set.key(1)})).isEqualTo(set)
                .hasSameHashCodeAs(set);
    }
}
