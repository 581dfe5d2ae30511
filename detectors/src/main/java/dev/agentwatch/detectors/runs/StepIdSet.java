package dev.agentwatch.detectors.runs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Step ids as 64-bit keys in a sorted array: what a run's state remembers of the steps it did not
 * keep, so that a re-delivered one (an exporter retrying a batch) is known and not counted twice.
 * A span id (16 hex digits) is its own key, exactly; any other id is hashed. Immutable.
 */
final class StepIdSet {
    static final StepIdSet EMPTY = new StepIdSet(new long[0]);
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final long[] keys;

    private StepIdSet(long[] keys) {
        this.keys = keys;
    }

    /** A set of these keys, in any order. */
    static StepIdSet ofKeys(long[] keys) {
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        return new StepIdSet(sorted);
    }

    boolean contains(String stepId) {
        return Arrays.binarySearch(keys, key(stepId)) >= 0;
    }

    /** This set with {@code stepId}; itself if already in. */
    StepIdSet plus(String stepId) {
        long key = key(stepId);
        int at = Arrays.binarySearch(keys, key);
        if (at >= 0) {
            return this;
        }
        int insertion = -at - 1;
        long[] more = new long[keys.length + 1];
        System.arraycopy(keys, 0, more, 0, insertion);
        more[insertion] = key;
        System.arraycopy(keys, insertion, more, insertion + 1, keys.length - insertion);
        return new StepIdSet(more);
    }

    int size() {
        return keys.length;
    }

    long key(int index) {
        return keys[index];
    }

    static long key(String stepId) {
        if (stepId.length() == 16) {
            try {
                return Long.parseUnsignedLong(stepId, 16);
            } catch (NumberFormatException notHex) {
                // hashed below
            }
        }
        long hash = FNV_OFFSET;
        for (byte b : stepId.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * FNV_PRIME;
        }
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StepIdSet set && Arrays.equals(keys, set.keys);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keys);
    }

    @Override
    public String toString() {
        return "StepIdSet[" + keys.length + " ids]";
    }
}
