package dev.agentwatch.alerts;

import dev.agentwatch.topics.DeadLetter;

/** What the finding router emits: an alert bound for a group, or a finding it could not use. */
sealed interface RouterOutput {
    record Routed(RoutedAlert alert) implements RouterOutput {
    }

    record Rejected(DeadLetter deadLetter) implements RouterOutput {
    }
}
