package dev.agentwatch.alerts;

import dev.agentwatch.model.Finding;
import dev.agentwatch.topics.DeadLetter;
import dev.agentwatch.topics.Topics;
import java.time.Clock;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes a finding, makes it an alert and routes it: one output per route that takes it, keyed
 * by group key. A finding that cannot be read goes out as a dead letter; it never stops the
 * pipeline.
 */
final class FindingRouter implements Processor<String, byte[], String, RouterOutput> {
    static final String STAGE = "alerts";

    private final AlertsConfig config;
    private final AlertFactory factory;
    private final Clock clock;
    private final AlertsMetrics metrics;
    private ProcessorContext<String, RouterOutput> context;

    FindingRouter(AlertsConfig config, Clock clock, AlertsMetrics metrics) {
        this.config = config;
        this.factory = new AlertFactory(config.links());
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, RouterOutput> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            reject(record, "", "empty_finding", "record has no value");
            return;
        }
        Finding finding;
        try {
            finding = Topics.FINDINGS.valueSerde().deserializer().deserialize(Topics.FINDINGS.name(), record.value());
        } catch (SerializationException e) {
            reject(record, "", "undecodable_finding", e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
            return;
        }
        if (finding == null) {
            // The JSON literal null decodes to no finding rather than failing.
            reject(record, "", "empty_finding", "record value is the JSON null");
            return;
        }
        long now = clock.millis();
        if (finding.detectedEpochMillis() > 0 && finding.detectedEpochMillis() < now - config.maxFindingAge().toMillis()) {
            metrics.recordStaleFinding();
            return;
        }
        Alert alert;
        try {
            alert = factory.alertOf(finding, now);
        } catch (RuntimeException e) {
            // One finding that cannot become an alert must not stop alerting for every tenant.
            reject(record, finding.tenant(), "bad_finding", e.getMessage());
            return;
        }
        metrics.recordFinding();
        for (Route route : config.route().match(alert.labels())) {
            RoutedAlert routed = RoutedAlert.of(route, alert);
            context.forward(new Record<String, RouterOutput>(routed.groupKey(), new RouterOutput.Routed(routed),
                    record.timestamp()));
        }
    }

    private void reject(Record<String, byte[]> record, String tenant, String reason, String detail) {
        metrics.recordDeadLetter(reason);
        RecordMetadata source = context.recordMetadata().orElse(null);
        DeadLetter letter = new DeadLetter(source == null ? Topics.FINDINGS.name() : source.topic(),
                source == null ? -1 : source.partition(), source == null ? -1 : source.offset(), STAGE, reason,
                detail == null ? "" : detail, tenant, record.key() == null ? "" : record.key(), record.value(), clock.millis());
        context.forward(new Record<String, RouterOutput>(record.key(), new RouterOutput.Rejected(letter), record.timestamp()));
    }
}
