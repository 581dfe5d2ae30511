package dev.agentwatch.detectors.detect;

/**
 * A detector: its state and one event in, its new state and the findings out. Implementations
 * are pure: no I/O, clock, logging or Kafka; the same inputs always give the same outputs, so
 * a re-processed event yields the same findings (with the same fingerprints). Findings leave a
 * detector with {@code detectedEpochMillis} 0; the pipeline stamps the processing time.
 *
 * @param <S> the detector's state, immutable
 * @param <E> the event it looks at
 */
public interface Detector<S, E> {

    /** Name of the detector as findings carry it, e.g. {@code loop}. */
    String name();

    /** The state before any event. */
    S initialState();

    Detection<S> apply(S state, E event);
}
