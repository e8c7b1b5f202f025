package io.webhookingest.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.webhookingest.store.EventIds;
import io.webhookingest.store.EventStatus;
import io.webhookingest.store.NewEvent;

class RecentCommitsTest {

    private final EventIds ids = new EventIds(Clock.systemUTC());

    @Test
    void anEventIsTakenOnceAsItsQueueEntryPublishesIt() {
        RecentCommits recent = new RecentCommits(1 << 20);
        NewEvent event = event(100, null);
        recent.keep(List.of(event));

        PendingEvent taken = recent.take(42, event.id());

        assertNotNull(taken);
        assertEquals(42, taken.seq());
        assertEquals(event.id(), taken.id());
        assertEquals(event.subject(), taken.subject());
        assertEquals(event.receivedAt(), taken.receivedAt());
        assertArrayEquals(event.body(), taken.value());
        assertNull(recent.take(43, event.id()), "taken out");
        assertEquals(0, recent.size());
    }

    @Test
    void theRecordValueIsTheEventsValueWhenItHasOne() {
        RecentCommits recent = new RecentCommits(1 << 20);
        byte[] value = "one notification".getBytes(StandardCharsets.UTF_8);
        NewEvent event = event(100, value);

        recent.keep(List.of(event));

        assertArrayEquals(value, recent.take(1, event.id()).value());
    }

    @Test
    void theOldestMakeRoomWithinTheBound() {
        long entry = 1000 + 2 * "hubjecttypesubjecttopic".length() + RecentCommits.ENTRY_OVERHEAD;
        RecentCommits recent = new RecentCommits(3 * entry);
        NewEvent first = event(1000, null);
        NewEvent second = event(1000, null);
        NewEvent third = event(1000, null);
        NewEvent fourth = event(1000, null);

        recent.keep(List.of(first, second, third));
        recent.keep(List.of(fourth));

        assertEquals(3 * entry, recent.size());
        assertNull(recent.take(1, first.id()), "the oldest went");
        assertNotNull(recent.take(2, second.id()));
        assertNotNull(recent.take(3, third.id()));
        assertNotNull(recent.take(4, fourth.id()));
    }

    @Test
    void onlyTheRecordValueIsKeptAndCounted() {
        RecentCommits recent = new RecentCommits(1 << 20);
        byte[] value = new byte[10];
        NewEvent event = NewEvent.of(ids.next(), "hubject", "identity", "type", "subject", EventStatus.PENDING,
                "topic", Instant.now(), new byte[100_000], value, "{\"x-large\":[\"" + "h".repeat(10_000) + "\"]}",
                null);

        recent.keep(List.of(event));

        assertEquals(10 + 2 * "hubjecttypesubjecttopic".length() + RecentCommits.ENTRY_OVERHEAD, recent.size(),
                "neither the body a value replaces nor the headers are held");
    }

    @Test
    void forgettingDropsEverything() {
        RecentCommits recent = new RecentCommits(1 << 20);
        NewEvent event = event(10, null);
        recent.keep(List.of(event));

        recent.forget();

        assertEquals(0, recent.size());
        assertNull(recent.take(1, event.id()));
    }

    @Test
    void anEventLargerThanTheBoundIsNotKeptAndDropsNothing() {
        RecentCommits recent = new RecentCommits(2000);
        NewEvent small = event(10, null);
        NewEvent large = event(5000, null);

        recent.keep(List.of(small, large));

        assertNull(recent.take(2, large.id()));
        assertNotNull(recent.take(1, small.id()));
    }

    @Test
    void noneAreKeptWithABoundOfZero() {
        RecentCommits recent = new RecentCommits(0);
        NewEvent event = event(10, null);

        recent.keep(List.of(event));

        assertNull(recent.take(1, event.id()));
    }

    /** An event of a body of {@code bodySize} bytes, and of this record value when not null. */
    private NewEvent event(int bodySize, byte[] value) {
        return NewEvent.of(ids.next(), "hubject", "identity", "type", "subject", EventStatus.PENDING, "topic",
                Instant.now(), new byte[bodySize], value, "{}", null);
    }
}
