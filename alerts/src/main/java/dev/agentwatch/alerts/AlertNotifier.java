package dev.agentwatch.alerts;

import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.TopicCreator;
import dev.agentwatch.topics.Topics;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert notifier runtime: the Kafka Streams app that routes findings and runs the group state
 * machines ({@link AlertsTopology}), one delivery loop per receiver, and the silences API.
 *
 * <p>Durable state: groups and their notification logs live in a changelog-backed store and
 * silences in a compacted topic; a notification is decided in the same exactly-once transaction
 * that updates its group and is delivered from the notifications topic, whose offsets are
 * committed per receiver only when the notification is settled. So a restart at any point
 * neither drops a page nor decides one twice.
 */
public final class AlertNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertNotifier.class);

    private final KafkaStreams streams;
    private final List<ReceiverDelivery> deliveries;
    private final List<Thread> deliveryThreads;
    private final Producer<String, DeadLetter> deadLetterProducer;
    private final Producer<String, Silence> silenceProducer;
    private final SilenceApi api;
    private final AlertsMetrics metrics;

    private AlertNotifier(KafkaStreams streams, List<ReceiverDelivery> deliveries, List<Thread> deliveryThreads,
                          Producer<String, DeadLetter> deadLetterProducer, Producer<String, Silence> silenceProducer,
                          SilenceApi api, AlertsMetrics metrics) {
        this.streams = streams;
        this.deliveries = deliveries;
        this.deliveryThreads = deliveryThreads;
        this.deadLetterProducer = deadLetterProducer;
        this.silenceProducer = silenceProducer;
        this.api = api;
        this.metrics = metrics;
    }

    /** Starts everything with the system clock. */
    public static AlertNotifier start(AlertNotifierConfig config, AlertsConfig alerts) {
        return start(config, alerts, Clock.systemUTC());
    }

    /** Starts everything; {@code clock} drives grouping, repeats, silences and signature timestamps. */
    public static AlertNotifier start(AlertNotifierConfig config, AlertsConfig alerts, Clock clock) {
        TopicCreator.of(config.partitions(), config.replicationFactor()).ensure(config.kafkaBootstrap(),
                List.of(Topics.FINDINGS, Topics.DEAD_LETTERS, AlertTopics.NOTIFICATIONS, AlertTopics.SILENCES));
        AlertsMetrics metrics = new AlertsMetrics();
        KafkaStreams streams = new KafkaStreams(AlertsTopology.build(alerts, clock, config.tick(), metrics),
                streamsProperties(config));
        CountDownLatch running = new CountDownLatch(1);
        // A dead stream thread is replaced and resumes from its last committed transaction.
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("alerts stream thread failed, replacing it", error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            LOG.atInfo().setMessage("streams state").addKeyValue("pipeline", "alerts").addKeyValue("from", before)
                    .addKeyValue("to", now).log();
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        Producer<String, DeadLetter> deadLetterProducer = new KafkaProducer<>(producerProperties(config),
                new StringSerializer(), Topics.DEAD_LETTERS.valueSerde().serializer());
        Producer<String, Silence> silenceProducer = new KafkaProducer<>(producerProperties(config), new StringSerializer(),
                AlertTopics.SILENCES.valueSerde().serializer());
        List<ReceiverDelivery> deliveries = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        SilenceApi api = null;
        try {
            if (!running.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("alerts streams not RUNNING after 120 s, state " + streams.state());
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            HttpDelivery delivery = new HttpDelivery(http, alerts.retry(), clock, RandomGenerator.getDefault(), metrics);
            boolean first = true;
            for (Receiver receiver : alerts.receivers().values()) {
                ReceiverDelivery loop = new ReceiverDelivery(receiver, alerts.externalUrl(), config.kafkaBootstrap(),
                        config.applicationId() + "-delivery-" + AlertsConfig.consumerGroupName(receiver.name()),
                        deadLetterProducer, delivery, clock, metrics, first);
                first = false;
                Thread thread = Thread.ofPlatform().name("alerts-delivery-" + receiver.name()).daemon(false).unstarted(loop);
                deliveries.add(loop);
                threads.add(thread);
                thread.start();
            }
            SilenceBook book = new SilenceBook(silenceProducer, () -> streams.store(StoreQueryParameters.fromNameAndType(
                    AlertsTopology.SILENCES_STORE, QueryableStoreTypes.<String, Silence>keyValueStore())), clock);
            api = SilenceApi.start(config.apiHost(), config.apiPort(), book, clock, metrics);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            new AlertNotifier(streams, deliveries, threads, deadLetterProducer, silenceProducer, null, metrics).close();
            throw new IllegalStateException("interrupted while starting the alert notifier", e);
        } catch (RuntimeException e) {
            new AlertNotifier(streams, deliveries, threads, deadLetterProducer, silenceProducer, null, metrics).close();
            throw e;
        }
        LOG.atInfo().setMessage("alert notifier started").addKeyValue("receivers", alerts.receivers().keySet().toString())
                .addKeyValue("silences_api", "http://" + config.apiHost() + ":" + api.port()).log();
        return new AlertNotifier(streams, deliveries, threads, deadLetterProducer, silenceProducer, api, metrics);
    }

    static Properties streamsProperties(AlertNotifierConfig config) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Static membership: a restarted instance takes its partitions back without waiting
        // for the group's session timeout.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), config.instanceId());
        return props;
    }

    private static Properties producerProperties(AlertNotifierConfig config) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return props;
    }

    /** Port of the silences API. */
    public int apiPort() {
        return api.port();
    }

    public AlertsMetrics metrics() {
        return metrics;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Stops the API, lets each delivery loop finish the notification in hand (up to 30 s), then
     * stops the streams, committing their state.
     */
    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
        deliveries.forEach(ReceiverDelivery::stop);
        for (Thread thread : deliveryThreads) {
            try {
                thread.join(Duration.ofSeconds(30));
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(Duration.ofSeconds(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        streams.close(Duration.ofSeconds(30));
        deadLetterProducer.close(Duration.ofSeconds(5));
        silenceProducer.close(Duration.ofSeconds(5));
        LOG.info("alert notifier stopped");
    }
}
