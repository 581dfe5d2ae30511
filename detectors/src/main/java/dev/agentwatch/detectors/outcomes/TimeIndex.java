package dev.agentwatch.detectors.outcomes;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Things due at an event time, in a persistent store whose keys sort by time (19-digit
 * zero-padded millis), so that what is due is one range scan rather than a scan of all state.
 * Each entry names a kind (one letter) and a state key.
 */
final class TimeIndex {
    /** Entries handled per scan, so that one punctuation never stalls the stream thread for long. */
    static final int MAX_PER_SCAN = 10_000;

    private final KeyValueStore<String, String> store;

    TimeIndex(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /** Something due. */
    record Due(long atMillis, char kind, String key, String indexKey) {
    }

    void add(long atMillis, char kind, String key) {
        store.put(indexKey(atMillis, kind, key), key);
    }

    void remove(long atMillis, char kind, String key) {
        store.delete(indexKey(atMillis, kind, key));
    }

    /** Removes and returns what is due at or before {@code nowMillis}, oldest first. */
    List<Due> takeDue(long nowMillis) {
        List<Due> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = store.range(indexKey(0, ' ', ""), pad(nowMillis) + "}")) {
            while (it.hasNext() && due.size() < MAX_PER_SCAN) {
                KeyValue<String, String> entry = it.next();
                String indexKey = entry.key;
                due.add(new Due(Long.parseLong(indexKey.substring(0, 19)), indexKey.charAt(20), entry.value, indexKey));
            }
        }
        for (Due entry : due) {
            store.delete(entry.indexKey());
        }
        return due;
    }

    private static String indexKey(long atMillis, char kind, String key) {
        return pad(atMillis) + "|" + kind + "|" + key;
    }

    private static String pad(long millis) {
        return String.format("%019d", Math.max(0, millis));
    }
}
