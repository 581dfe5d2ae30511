package dev.agentwatch.embedded.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

/** Turns an {@link EmbeddedKafkaConfig} with concrete ports into Kafka server properties. */
final class BrokerProperties {

    static final int NODE_ID = 1;
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final String CLIENT_LISTENER = "PLAINTEXT";

    // Internal topics default to 50 partitions; a one-node dev broker does not need that many
    // and creating them slows the first consumer group or transaction noticeably.
    private static final int INTERNAL_TOPIC_PARTITIONS = 10;
    private static final int SEGMENT_BYTES = 64 << 20;
    // Kafka's default 128 MiB dedupe buffer is allocated on the heap up front.
    private static final int CLEANER_DEDUPE_BUFFER_BYTES = 16 << 20;

    private BrokerProperties() {
    }

    static Map<String, String> of(EmbeddedKafkaConfig config) {
        if (config.port() == 0 || config.controllerPort() == 0) {
            throw new IllegalArgumentException("ports must be resolved before building broker properties: " + config);
        }
        String clientAddress = config.host() + ":" + config.port();
        String controllerAddress = config.host() + ":" + config.controllerPort();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        // Static voters (kraft.version 0): the controller address is not written into storage,
        // so a restart may use different ports on the same data directory.
        props.put("controller.quorum.voters", NODE_ID + "@" + controllerAddress);
        props.put("listeners", CLIENT_LISTENER + "://" + clientAddress + "," + CONTROLLER_LISTENER + "://" + controllerAddress);
        props.put("advertised.listeners", CLIENT_LISTENER + "://" + clientAddress);
        props.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", CLIENT_LISTENER);
        props.put("log.dirs", config.dataDir().toAbsolutePath().toString());

        props.put("num.partitions", Integer.toString(config.defaultPartitions()));
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", Integer.toString(INTERNAL_TOPIC_PARTITIONS));
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", Integer.toString(INTERNAL_TOPIC_PARTITIONS));
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");

        props.put("log.retention.hours", Integer.toString(config.logRetentionHours()));
        props.put("log.retention.bytes", Long.toString(config.logRetentionBytesPerPartition()));
        props.put("log.segment.bytes", Integer.toString(SEGMENT_BYTES));
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(CLEANER_DEDUPE_BUFFER_BYTES));
        return Map.copyOf(props);
    }
}
