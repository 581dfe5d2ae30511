package dev.agentwatch.cli;

import dev.agentwatch.alerts.AlertsConfig;
import dev.agentwatch.alerts.DryRun;
import dev.agentwatch.model.Finding;
import dev.agentwatch.topics.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;

/**
 * {@code agentwatch alerts dry-run --config ALERTS.yaml --finding FINDING.json}: validates the
 * routing file and prints where the finding would go and the payload each receiver would get.
 * Touches no service.
 */
final class AlertsCommand {
    static final String USAGE = "usage: agentwatch alerts dry-run --config ALERTS.yaml --finding FINDING.json";

    private AlertsCommand() {
    }

    static void run(List<String> args, PrintStream out) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(USAGE);
            out.println("  validates the alert routing file and shows which receivers the finding would reach and the");
            out.println("  payload each would get (secrets masked); touches no service");
            return;
        }
        if (args.isEmpty() || !args.getFirst().equals("dry-run")) {
            throw new IllegalArgumentException(USAGE);
        }
        Path configFile = Path.of(option(args, "--config"));
        Path findingFile = Path.of(option(args, "--finding"));
        AlertsConfig config = AlertsConfig.load(configFile);
        out.println("alerts config " + configFile + ": valid (" + config.receivers().size() + " receivers)");
        out.print(DryRun.describe(config, readFinding(findingFile), Clock.systemUTC()));
        out.flush();
    }

    static Finding readFinding(Path file) {
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read finding file " + file + ": " + e.getMessage(), e);
        }
        try {
            return Topics.FINDINGS.valueSerde().deserializer().deserialize(Topics.FINDINGS.name(), json);
        } catch (SerializationException e) {
            throw new IllegalArgumentException("finding file " + file + " is not a finding (the JSON of agentwatch_findings): "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        }
    }

    private static String option(List<String> args, String name) {
        int at = args.indexOf(name);
        if (at < 0 || at + 1 >= args.size()) {
            throw new IllegalArgumentException("alerts dry-run needs " + name + " FILE");
        }
        return args.get(at + 1);
    }
}
