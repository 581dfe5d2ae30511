package dev.agentwatch.alerts;

import java.util.Map;
import java.util.Objects;

/**
 * One alert as a notification carries it.
 *
 * @param fingerprint         the finding's fingerprint
 * @param resolved            whether it has resolved
 * @param labels              labels
 * @param annotations         annotations
 * @param startsAtEpochMillis start
 * @param endsAtEpochMillis   end, 0 while firing without an announced end
 * @param generatorUrl        link back, may be empty
 */
public record NotifiedAlert(String fingerprint, boolean resolved, Map<String, String> labels,
                            Map<String, String> annotations, long startsAtEpochMillis, long endsAtEpochMillis,
                            String generatorUrl) {
    public NotifiedAlert {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(generatorUrl, "generatorUrl");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    public String status() {
        return resolved ? "resolved" : "firing";
    }
}
