package dev.agentwatch.cli;

import dev.agentwatch.alerts.AlertNotifierConfig;
import dev.agentwatch.alerts.AlertsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code alerts.*} settings: the routing config file (empty = alerts off), loaded and
 * validated when the settings are, so a bad file stops the start with a message saying what to fix.
 *
 * @param configFile the routing config, empty when alerts are off
 * @param routing    the validated routing config, present exactly when {@code configFile} is
 * @param notifier   the notifier runtime settings
 */
record AlertSettings(Optional<Path> configFile, Optional<AlertsConfig> routing, AlertNotifierConfig notifier) {

    static AlertSettings from(Settings settings, String kafkaBootstrap, Path dataDir, String processingGuarantee,
                              int partitions, short replicationFactor, String instanceId) {
        String file = settings.string("alerts.config");
        AlertNotifierConfig notifier = new AlertNotifierConfig(kafkaBootstrap, settings.string("alerts.application.id"),
                dataDir.resolve("streams").resolve("alerts"), processingGuarantee, settings.string("alerts.api.host"),
                settings.integer("alerts.api.port"), Duration.ofSeconds(1), partitions, replicationFactor, instanceId);
        if (file.isBlank()) {
            return new AlertSettings(Optional.empty(), Optional.empty(), notifier);
        }
        Path path = Path.of(file.strip());
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("alerts.config: file " + path + " is not readable");
        }
        return new AlertSettings(Optional.of(path), Optional.of(AlertsConfig.load(path)), notifier);
    }

    boolean enabled() {
        return routing.isPresent();
    }

    /** One line for the start-up banner. */
    String describe(int apiPort) {
        if (!enabled()) {
            return "off (set alerts.config to a routing file, e.g. alerts/examples/alerts.yaml)";
        }
        return configFile.orElseThrow() + ", receivers " + routing.orElseThrow().receivers().keySet()
                + "; silences API http://" + notifier.apiHost() + ":" + apiPort + "/api/v2/silences";
    }
}
