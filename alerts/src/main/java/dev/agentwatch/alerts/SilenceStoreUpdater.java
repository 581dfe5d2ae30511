package dev.agentwatch.alerts;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global silences store equal to the compacted silences topic. */
final class SilenceStoreUpdater implements Processor<String, Silence, Void, Void> {
    private KeyValueStore<String, Silence> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(AlertsTopology.SILENCES_STORE);
    }

    @Override
    public void process(Record<String, Silence> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
