package io.webhookingest.store;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.KafkaBrokerResource;

/**
 * The writer's paths that only show when inserts queue up behind one another. Each test holds the one insert the
 * writer may have in flight with a table lock, queues the writes it needs behind it, and lets go: so the writes
 * share one batch, or wait too long, or overflow the queue, for certain.
 */
@QuarkusTest
@TestProfile(EventWriterLimitsTest.OneInsertAtATime.class)
@WithTestResource(KafkaBrokerResource.class)
class EventWriterLimitsTest {

    static final int MAX_QUEUED = 100;

    public static class OneInsertAtATime implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "ingest.store.concurrent-batches", "1",
                    "ingest.store.max-queued", Integer.toString(MAX_QUEUED),
                    "ingest.store.timeout", "1s");
        }
    }

    @Inject
    EventWriter writer;

    @Inject
    Pool pool;

    private final EventIds ids = new EventIds(Clock.systemUTC());
    private final String source = "limits-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void duplicatesWithinOneBatchAreStoredOnceAndAnsweredWithTheStoredOnesId() throws Exception {
        List<CompletableFuture<List<StoredEvent>>> writes = new ArrayList<>();
        try (Connection lock = HeldInserts.hold()) {
            CompletableFuture<List<StoredEvent>> held = write(event("held"));
            HeldInserts.awaitWaiting(pool, lock, 1);
            for (int i = 0; i < 20; i++) {
                writes.add(write(event(i % 2 == 0 ? "same" : "other-" + i)));
            }
            lock.rollback();
            held.join();
        }
        List<StoredEvent> same = new ArrayList<>();
        for (int i = 0; i < writes.size(); i += 2) {
            same.add(writes.get(i).join().get(0));
        }
        assertEquals(1, same.stream().filter(StoredEvent::created).count(), "one of the ten is stored");
        assertEquals(Set.of(same.get(0).id()), same.stream().map(StoredEvent::id).collect(Collectors.toSet()),
                "the others are answered with its id");
        assertEquals(1, rows("same"));
        for (int i = 1; i < writes.size(); i += 2) {
            assertTrue(writes.get(i).join().get(0).created());
        }
    }

    @Test
    void aBatchThatFailsOnOneDeliverysDataIsRetriedOneByOne() throws Exception {
        List<CompletableFuture<List<StoredEvent>>> writes = new ArrayList<>();
        try (Connection lock = HeldInserts.hold()) {
            CompletableFuture<List<StoredEvent>> held = write(event("held"));
            HeldInserts.awaitWaiting(pool, lock, 1);
            for (int i = 0; i < 10; i++) {
                writes.add(write(event(i == 4 ? "bad\u0000identity" : "fine-" + i)));
            }
            lock.rollback();
            held.join();
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).handle((ok, failed) -> null).join();
        CompletionException refused = assertThrows(CompletionException.class,
                () -> writes.get(4).join());
        assertInstanceOf(StoreRefusedException.class, refused.getCause(), "refused for good, not retriable");
        for (int i = 0; i < 10; i++) {
            if (i != 4) {
                assertTrue(writes.get(i).join().get(0).created(), "write " + i + " of the batch is stored");
                assertEquals(1, rows("fine-" + i));
            }
        }
    }

    @Test
    void writesQueuedPastTheStoreTimeoutAreDroppedUnwrittenWhileTheOneInFlightCompletes() throws Exception {
        CompletableFuture<List<StoredEvent>> held;
        List<CompletableFuture<List<StoredEvent>>> queued = new ArrayList<>();
        try (Connection lock = HeldInserts.hold()) {
            held = write(event("held"));
            HeldInserts.awaitWaiting(pool, lock, 1);
            for (int i = 0; i < 5; i++) {
                queued.add(write(event("late-" + i)));
            }
            // What is under test is time passing: the queued writes outlive their 1 s deadline behind the lock.
            TimeUnit.MILLISECONDS.sleep(1500);
            lock.rollback();
        }
        assertTrue(held.join().get(0).created(), "the insert already under way commits");
        for (int i = 0; i < 5; i++) {
            CompletableFuture<List<StoredEvent>> write = queued.get(i);
            CompletionException late = assertThrows(CompletionException.class,
                    write::join);
            assertInstanceOf(StoreBusyException.class, late.getCause());
            assertEquals(0, rows("late-" + i), "a write dropped for its deadline is not stored");
        }
    }

    @Test
    void aWriteBeyondTheQueueLimitIsRefusedAtOnceAndTheQueuedOnesAreStored() throws Exception {
        List<CompletableFuture<List<StoredEvent>>> queued = new ArrayList<>();
        CompletableFuture<List<StoredEvent>> overflow;
        try (Connection lock = HeldInserts.hold()) {
            CompletableFuture<List<StoredEvent>> held = write(event("held"));
            HeldInserts.awaitWaiting(pool, lock, 1);
            for (int i = 0; i < MAX_QUEUED; i++) {
                queued.add(write(event("queued-" + i)));
            }
            overflow = write(event("overflow"));
            assertTrue(overflow.isCompletedExceptionally(), "refused before anything is written");
            lock.rollback();
            held.join();
        }
        CompletionException busy = assertThrows(CompletionException.class,
                overflow::join);
        assertInstanceOf(StoreBusyException.class, busy.getCause());
        for (CompletableFuture<List<StoredEvent>> write : queued) {
            assertTrue(write.join().get(0).created());
        }
        assertEquals(0, rows("overflow"));
        assertTrue(write(event("after")).join().get(0).created(), "the queue takes writes again");
    }

    @Test
    void aDeliveryWhoseCommitOutlivesTheStoreTimeoutIsToldItMayStillBeCommittedAndItsRetryIsADuplicate()
            throws Exception {
        String eventId = UUID.randomUUID().toString();
        byte[] body = Hubject.contractCreated(eventId);
        CompletableFuture<ExtractableResponse<Response>> first;
        try (Connection lock = HeldInserts.hold()) {
            first = CompletableFuture.supplyAsync(() -> Hubject.deliver(body, Hubject.SECRET).extract());
            HeldInserts.awaitWaiting(pool, lock, 1);
            ExtractableResponse<Response> timedOut = first.join();
            assertEquals(503, timedOut.statusCode());
            assertEquals("5", timedOut.header("Retry-After"));
            assertEquals("store_unavailable", timedOut.path("reason"));
            assertTrue(timedOut.<String>path("detail").contains("may still be committed, and a retry is then"
                    + " answered as a duplicate"), timedOut.body().asString());
            lock.rollback();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.preparedQuery(
                "select count(*) from event where source = 'hubject' and identity = $1").execute(Tuple.of(eventId))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0) == 1);
        Hubject.deliver(body, Hubject.SECRET).statusCode(200).body("status", is("duplicate"));
    }

    @Test
    void anEventRoutedToTheDefaultPartitionJustAsItsOwnIsAttachedIsInsertedAgainThere() throws Exception {
        Instant future = Instant.now().plus(Duration.ofDays(3650));
        UUID from = EventIds.lowerBound(future.minus(Duration.ofDays(1)));
        UUID to = EventIds.lowerBound(future.plus(Duration.ofDays(1)));
        NewEvent event = NewEvent.of(new EventIds(Clock.fixed(future, java.time.ZoneOffset.UTC)).next(), source,
                "rerouted", "t", "s", EventStatus.RECORDED, "webhooks.writer", Instant.now(), "{}".getBytes(), null,
                "{}", null);
        CompletableFuture<List<StoredEvent>> written;
        try (Connection attach = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
             Statement sql = attach.createStatement()) {
            attach.setAutoCommit(false);
            sql.execute("lock table event_kept in share row exclusive mode");
            written = write(event);
            HeldInserts.awaitWaiting(pool, attach, 1);
            sql.execute("create table event_rerouted (like event including defaults including constraints)");
            sql.execute("alter table event attach partition event_rerouted for values from ('" + from + "') to ('"
                    + to + "')");
            attach.commit();
        }
        try {
            assertTrue(written.join().get(0).created(), "stored, not refused as bad data");
            assertEquals(1, pool.preparedQuery("select count(*) from event_rerouted where id = $1")
                    .execute(Tuple.of(event.id())).await().atMost(Duration.ofSeconds(10)).iterator().next()
                    .getLong(0), "in the partition attached meanwhile");
        } finally {
            pool.query("drop table event_rerouted").execute().await().atMost(Duration.ofSeconds(10));
        }
    }

    private NewEvent event(String identity) {
        return NewEvent.of(ids.next(), source, identity, "t", "s", EventStatus.RECORDED, "webhooks.writer",
                Instant.now(), "{}".getBytes(), null, "{}", null);
    }

    private CompletableFuture<List<StoredEvent>> write(NewEvent event) {
        return writer.write(List.of(event)).toCompletionStage().toCompletableFuture();
    }

    private long rows(String identity) {
        return pool.preparedQuery("select count(*) from event where source = $1 and identity = $2")
                .execute(Tuple.of(source, identity)).await().atMost(Duration.ofSeconds(10)).iterator().next()
                .getLong(0);
    }
}
