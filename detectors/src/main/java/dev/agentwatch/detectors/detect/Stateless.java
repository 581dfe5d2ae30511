package dev.agentwatch.detectors.detect;

/** The state of a detector that keeps none between events. */
public enum Stateless {
    INSTANCE
}
