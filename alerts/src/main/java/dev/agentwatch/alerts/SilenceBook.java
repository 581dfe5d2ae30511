package dev.agentwatch.alerts;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Silences, persisted on the compacted silences topic and read back from the notifier's global
 * store (the same one the group state machines consult). A write returns once the store shows
 * it, so a listing right after a change includes it. Thread-safe.
 */
final class SilenceBook {
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(30);

    private final Producer<String, Silence> producer;
    private final Supplier<ReadOnlyKeyValueStore<String, Silence>> store;
    private final Clock clock;

    SilenceBook(Producer<String, Silence> producer, Supplier<ReadOnlyKeyValueStore<String, Silence>> store, Clock clock) {
        this.producer = producer;
        this.store = store;
        this.clock = clock;
    }

    /** Stores a new silence built from the request and returns it. */
    Silence create(List<LabelMatcher> matchers, long startsAtEpochMillis, long endsAtEpochMillis, String createdBy,
                   String comment) {
        long now = clock.millis();
        if (endsAtEpochMillis <= now) {
            throw new IllegalArgumentException("endsAt must be in the future");
        }
        Silence silence = new Silence(UUID.randomUUID().toString(), matchers, startsAtEpochMillis, endsAtEpochMillis,
                createdBy, comment, now);
        write(silence);
        return silence;
    }

    /** Ends the silence now; empty if there is no such silence. */
    Optional<Silence> expire(String id) {
        Optional<Silence> existing = get(id);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        Silence expired = existing.get().expiredAt(clock.millis());
        if (expired != existing.get()) {
            write(expired);
        }
        return Optional.of(expired);
    }

    Optional<Silence> get(String id) {
        return Optional.ofNullable(store.get().get(id));
    }

    /** All silences, newest first. */
    List<Silence> list() {
        List<Silence> all = new ArrayList<>();
        try (KeyValueIterator<String, Silence> it = store.get().all()) {
            it.forEachRemaining(kv -> all.add(kv.value));
        }
        all.sort(Comparator.comparingLong(Silence::updatedAtEpochMillis).reversed());
        return all;
    }

    private void write(Silence silence) {
        try {
            producer.send(new ProducerRecord<>(AlertTopics.SILENCES.name(), silence.id(), silence)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing silence " + silence.id(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot store silence " + silence.id() + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
        while (!silence.equals(store.get().get(silence.id()))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("silence " + silence.id() + " stored but not visible after " + VISIBLE_WITHIN);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for silence " + silence.id(), e);
            }
        }
    }
}
