package dev.agentwatch.alerts;

import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.JsonSerde;
import dev.agentwatch.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * {@code agentwatch_findings} → alerts routed to aggregation groups (repartitioned by group key)
 * → group state machines → {@code agentwatch_alert_notifications}; unreadable findings to
 * {@code agentwatch_dead_letters}. Silences are a global store fed by the compacted silences
 * topic, so every instance mutes the same alerts.
 */
public final class AlertsTopology {
    static final String GROUPS_STORE = "alert-groups";
    static final String SILENCES_STORE = "alert-silences";
    static final String GROUPS_REPARTITION = "alert-groups-by-key";

    private AlertsTopology() {
    }

    public static Topology build(AlertsConfig config, Clock clock, Duration tick, AlertsMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SILENCES_STORE), Serdes.String(),
                        AlertTopics.SILENCES.valueSerde()).withLoggingDisabled(),
                AlertTopics.SILENCES.name(),
                Consumed.with(AlertTopics.SILENCES.keySerde(), AlertTopics.SILENCES.valueSerde()).withName("silences-source"),
                SilenceStoreUpdater::new);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(GROUPS_STORE), Serdes.String(),
                JsonSerde.of(AlertGroup.class)).withLoggingEnabled(Map.of()));

        KStream<String, RouterOutput> routed = builder
                .stream(Topics.FINDINGS.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("findings-source"))
                .process(() -> new FindingRouter(config, clock, metrics), Named.as("finding-router"));
        Map<String, KStream<String, RouterOutput>> branches = routed.split(Named.as("router-"))
                .branch((key, value) -> value instanceof RouterOutput.Rejected, Branched.as("rejected"))
                .defaultBranch(Branched.as("routed"));
        branches.get("router-rejected")
                .mapValues(value -> ((RouterOutput.Rejected) value).deadLetter(), Named.as("dead-letter-of"))
                .to(Topics.DEAD_LETTERS.name(), Produced.<String, DeadLetter>with(Topics.DEAD_LETTERS.keySerde(),
                        Topics.DEAD_LETTERS.valueSerde()).withName("dead-letters-sink"));
        branches.get("router-routed")
                .mapValues(value -> ((RouterOutput.Routed) value).alert(), Named.as("routed-alert-of"))
                .repartition(Repartitioned.with(Serdes.String(), JsonSerde.of(RoutedAlert.class)).withName(GROUPS_REPARTITION))
                .process(() -> new GroupProcessor(config, clock, tick, metrics), Named.as("alert-grouper"), GROUPS_STORE)
                .to(AlertTopics.NOTIFICATIONS.name(), Produced.with(AlertTopics.NOTIFICATIONS.keySerde(),
                        AlertTopics.NOTIFICATIONS.valueSerde()).withName("notifications-sink"));
        return builder.build();
    }
}
