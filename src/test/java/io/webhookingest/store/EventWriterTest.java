package io.webhookingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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

/** Group commit under contention: every write completes, and is stored exactly once. */
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
}
