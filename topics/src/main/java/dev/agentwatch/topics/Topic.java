package dev.agentwatch.topics;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with the serdes of its keys and values, so that producers, consumers and
 * topologies cannot disagree on either.
 *
 * @param name        topic name
 * @param keySerde    serde of record keys
 * @param valueSerde  serde of record values
 * @param topicConfig topic-level configs applied at creation (e.g. retention), may be empty
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> topicConfig) {
    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        topicConfig = Map.copyOf(topicConfig);
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
    }
}
