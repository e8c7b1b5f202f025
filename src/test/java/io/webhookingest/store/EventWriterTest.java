package io.webhookingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Future;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.testing.KafkaBrokerResource;

/**
 * Group commit under contention: every write completes, and is stored exactly once; a second insert goes only when
 * the one in flight falls behind.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class EventWriterTest {

    static final int WRITES = 3000;

    @Inject
    EventWriter writer;

    @Inject
    Pool pool;

    @Test
    void concurrentWritesAreEachStoredExactlyOnce() {
        String source = "writer-" + UUID.randomUUID().toString().substring(0, 8);
        EventIds ids = new EventIds(Clock.systemUTC());
        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<CompletableFuture<List<StoredEvent>>> outcomes = new ArrayList<>();
        for (int i = 0; i < WRITES; i++) {
            NewEvent event = NewEvent.of(ids.next(), source, "identity-" + i, "t", "s", EventStatus.RECORDED,
                    "webhooks.writer", Instant.now(), "{}".getBytes(), null, "{}", null);
            outcomes.add(CompletableFuture.supplyAsync(() -> writer.write(List.of(event)), callers)
                    .thenCompose(Future::toCompletionStage).toCompletableFuture());
        }
        long created = outcomes.stream().map(CompletableFuture::join)
                .filter(stored -> stored.get(0).created()).count();
        callers.shutdown();

        assertEquals(WRITES, created, "every write is answered as created");
        long rows = pool.preparedQuery("select count(distinct identity) from event where source = $1")
                .execute(Tuple.of(source)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
        assertEquals(WRITES, rows, "every write is stored");
    }

    /**
     * Data Postgres refuses (a NUL, which text cannot hold) fails its own write for good, as refused rather than
     * unavailable, so that its sender is not told to retry it forever; the writes batched with it are stored.
     */
    @Test
    void dataThePostgresRefusesFailsOnlyItsOwnWriteAndAsRefused() {
        String source = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        EventIds ids = new EventIds(Clock.systemUTC());
        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<CompletableFuture<List<StoredEvent>>> outcomes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            NewEvent event = NewEvent.of(ids.next(), source, i == 100 ? "bad\u0000identity" : "identity-" + i, "t",
                    "s", EventStatus.RECORDED, "webhooks.writer", Instant.now(), "{}".getBytes(), null, "{}", null);
            outcomes.add(CompletableFuture.supplyAsync(() -> writer.write(List.of(event)), callers)
                    .thenCompose(Future::toCompletionStage).toCompletableFuture());
        }
        CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).handle((ok, failed) -> null).join();
        callers.shutdown();

        CompletionException refused = assertThrows(CompletionException.class, () -> outcomes.get(100).join());
        assertInstanceOf(StoreRefusedException.class, refused.getCause());
        long stored = outcomes.stream().filter(outcome -> !outcome.isCompletedExceptionally()).count();
        assertEquals(199, stored, "the others are stored");
    }

    /**
     * With one insert in flight, a write waits for it while no more events wait than it carries, and a second insert
     * takes the waiting writes once more do. Rows one insert stored share its transaction's id.
     */
    @Test
    void aSecondInsertStartsOnlyOnceMoreEventsWaitThanTheInsertInFlightCarries() throws Exception {
        String source = "second-" + UUID.randomUUID().toString().substring(0, 8);
        EventIds ids = new EventIds(Clock.systemUTC());
        List<CompletableFuture<List<StoredEvent>>> writes = new ArrayList<>();
        try (Connection lock = HeldInserts.hold()) {
            writes.add(write(event(ids, source, "first")));
            HeldInserts.awaitWaiting(pool, lock, 1);
            writes.add(write(event(ids, source, "second")));
            writes.add(write(event(ids, source, "third")));
            HeldInserts.awaitWaiting(pool, lock, 2);
            lock.rollback();
        }
        writes.forEach(write -> assertTrue(write.join().get(0).created()));
        Map<String, String> transactions = new HashMap<>();
        pool.preparedQuery("select identity, xmin::text from event where source = $1").execute(Tuple.of(source))
                .await().atMost(Duration.ofSeconds(10)).forEach(row -> transactions.put(row.getString(0),
                        row.getString(1)));
        assertEquals(3, transactions.size());
        assertNotEquals(transactions.get("first"), transactions.get("second"), "the first insert went alone");
        assertEquals(transactions.get("second"), transactions.get("third"), "the second insert took both");
    }

    private CompletableFuture<List<StoredEvent>> write(NewEvent event) {
        return writer.write(List.of(event)).toCompletionStage().toCompletableFuture();
    }

    private static NewEvent event(EventIds ids, String source, String identity) {
        return NewEvent.of(ids.next(), source, identity, "t", "s", EventStatus.RECORDED, "webhooks.writer",
                Instant.now(), "{}".getBytes(), null, "{}", null);
    }
}
