package io.webhookingest.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.webhookingest.store.EventIds;
import io.webhookingest.store.EventStatus;
import io.webhookingest.store.EventWriter;
import io.webhookingest.store.NewEvent;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.RelayLeases;

/**
 * A round takes the events the instance holds in memory from there and reads the others, in the queue's order, and
 * what it takes from memory is what it would have read from the table, to the microsecond of {@code ce_time}.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class RoundFromMemoryTest {

    @Inject
    EventWriter writer;

    @Inject
    OutboxRepository outbox;

    @Inject
    RecentCommits recent;

    @Inject
    Pool pool;

    @Test
    void aRoundMixesEventsHeldInMemoryWithEventsReadInQueueOrder() {
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.query("select count(*) from event_outbox").execute()
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0) == 0);
        RelayLeases.holdElsewhere(pool);
        try {
            EventIds ids = new EventIds(Clock.systemUTC());
            String subject = "from-memory-" + UUID.randomUUID();
            List<NewEvent> events = List.of(event(ids, subject, "first", null), event(ids, subject, "second",
                    "second's own value"), event(ids, subject, "third", null));
            events.forEach(event -> writer.write(List.of(event)).toCompletionStage().toCompletableFuture().join());
            recent.keep(List.of(events.get(1)));
            RelayLease.Fence fence = new RelayLease.Fence("another-instance", 0);

            List<PendingEvent> mixed = outbox.nextBatch(fence).await().atMost(Duration.ofSeconds(10)).events();
            List<PendingEvent> read = outbox.nextBatch(fence).await().atMost(Duration.ofSeconds(10)).events();

            assertNull(recent.take(0, events.get(1).id()), "what a round takes leaves memory");
            assertEquals(events.stream().map(NewEvent::id).toList(), mixed.stream().map(PendingEvent::id).toList());
            assertEquals(events.stream().map(NewEvent::id).toList(), read.stream().map(PendingEvent::id).toList());
            for (int i = 0; i < events.size(); i++) {
                PendingEvent fromMemoryOrRead = mixed.get(i);
                PendingEvent stored = read.get(i);
                assertEquals(stored.seq(), fromMemoryOrRead.seq());
                assertEquals(stored.source(), fromMemoryOrRead.source());
                assertEquals(stored.type(), fromMemoryOrRead.type());
                assertEquals(stored.subject(), fromMemoryOrRead.subject());
                assertEquals(stored.topic(), fromMemoryOrRead.topic());
                assertEquals(stored.receivedAt(), fromMemoryOrRead.receivedAt());
                assertEquals(stored.traceParent(), fromMemoryOrRead.traceParent());
                assertArrayEquals(stored.value(), fromMemoryOrRead.value());
            }
            assertEquals("second's own value", new String(mixed.get(1).value(), StandardCharsets.UTF_8));
        } finally {
            RelayLeases.giveBack(pool);
        }
    }

    private static NewEvent event(EventIds ids, String subject, String name, String value) {
        return NewEvent.of(ids.next(), "hubject", subject + "-" + name, "oem.contract.created", subject,
                EventStatus.PENDING, Hubject.TOPIC, Instant.now(), name.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8), "{}",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
    }
}
