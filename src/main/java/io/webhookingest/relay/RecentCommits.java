package io.webhookingest.relay;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.webhookingest.config.IngestConfig;
import io.webhookingest.store.NewEvent;

/**
 * The events this instance committed lately, as the publishing instance keeps them in memory so that a relay round
 * takes them from here rather than reading each one back from the event table: under load, nearly every event is
 * published by the instance that stored it, a few milliseconds later. What a round finds here is exactly what it would
 * read, since a stored event's published parts never change; what it does not find (another instance's events, a
 * replay, a backlog older than the memory) it reads as before.
 * <p>
 * Only what a record is made of is kept, and the memory is bounded ({@code ingest.relay.cache-size}), counting the
 * value and the strings: the oldest go first, and a round takes out what it uses, so an event is published from here
 * at most once.
 */
@Singleton
public class RecentCommits {

    /** What an entry costs besides its value and strings: the map entry, the record, the id and the time. */
    static final int ENTRY_OVERHEAD = 160;

    private final long capacity;
    private final Map<UUID, PendingEvent> events = new LinkedHashMap<>();
    private long size;

    @Inject
    RecentCommits(IngestConfig config) {
        this(config.relay().cacheSize().asLongValue());
    }

    RecentCommits(long capacity) {
        this.capacity = capacity;
    }

    /** Keeps these newly committed events, making room by dropping the oldest. */
    public synchronized void keep(List<NewEvent> committed) {
        for (NewEvent stored : committed) {
            PendingEvent event = new PendingEvent(0, stored.id(), stored.source(), stored.type(), stored.subject(),
                    stored.topic(), stored.receivedAt(), stored.value() != null ? stored.value() : stored.body(),
                    stored.traceParent());
            long cost = cost(event);
            if (cost > capacity) {
                continue;
            }
            Iterator<PendingEvent> oldest = events.values().iterator();
            while (size + cost > capacity && oldest.hasNext()) {
                size -= cost(oldest.next());
                oldest.remove();
            }
            events.put(event.id(), event);
            size += cost;
        }
    }

    /** The event with this id, taken out, as the queue entry {@code seq} publishes it; null when not kept. */
    public synchronized PendingEvent take(long seq, UUID id) {
        PendingEvent event = events.remove(id);
        if (event == null) {
            return null;
        }
        size -= cost(event);
        return new PendingEvent(seq, event.id(), event.source(), event.type(), event.subject(), event.topic(),
                event.receivedAt(), event.value(), event.traceParent());
    }

    /** Drops everything: another instance publishes now, and reads what it publishes. */
    public synchronized void forget() {
        events.clear();
        size = 0;
    }

    /** The bytes held, counted as the bound counts them. */
    synchronized long size() {
        return size;
    }

    private static long cost(PendingEvent event) {
        return event.value().length + 2L * (length(event.source()) + length(event.type()) + length(event.subject())
                + length(event.topic()) + length(event.traceParent())) + ENTRY_OVERHEAD;
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }
}
