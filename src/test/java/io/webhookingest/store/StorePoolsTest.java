package io.webhookingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.testing.KafkaBrokerResource;

/**
 * The hot path's connections parse and plan the group commit's insert once, not for every batch: the statement stays
 * prepared on the connection (it is longer than the client's default limit for caching), and Postgres runs it with its
 * generic plan every time, where it would otherwise plan it anew for each batch. The shared pool leaves Postgres to
 * choose, for the statements that are planned better for their values.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class StorePoolsTest {

    static final int EXECUTIONS = 7;

    @Inject
    EventRepository repository;

    @Inject
    @HotPath
    Pool hotPath;

    @Inject
    Pool shared;

    @Test
    void theInsertIsPreparedOnceAndRunsItsGenericPlan() {
        assertTrue(EventRepository.INSERT.length() > 2048, "longer than the client's default caching limit");
        String source = "cached-" + UUID.randomUUID().toString().substring(0, 8);
        EventIds ids = new EventIds(Clock.systemUTC());
        List<Row> counts = hotPath.withConnection(connection -> prepared(connection).chain(before -> {
            Uni<Void> inserts = Uni.createFrom().voidItem();
            for (int i = 0; i < EXECUTIONS; i++) {
                NewEvent event = event(ids, source, i);
                inserts = inserts.chain(() -> repository.insert(connection, List.of(event)).replaceWithVoid());
            }
            return inserts.chain(() -> prepared(connection)).map(after -> List.of(before, after));
        })).await().atMost(Duration.ofSeconds(10));
        Row before = counts.get(0);
        Row after = counts.get(1);

        assertEquals(1, after.getLong(0), "the insert is one named statement on the connection");
        assertEquals(EXECUTIONS, after.getLong(1) - before.getLong(1), "every execution ran the generic plan");
        assertEquals(0, after.getLong(2) - before.getLong(2), "no execution was planned for its parameters");
    }

    /**
     * A redelivery of an event stored before is answered from the insert alone; only a key claimed since the insert's
     * snapshot, here by an earlier event of the same batch, takes the second statement.
     */
    @Test
    void aRedeliveryIsFoundByTheInsertItselfAndADuplicateWithinTheBatchByTheLookup() {
        String source = "known-" + UUID.randomUUID().toString().substring(0, 8);
        EventIds ids = new EventIds(Clock.systemUTC());
        NewEvent stored = event(ids, source, 1);
        NewEvent redelivery = event(ids, source, 1);
        NewEvent first = event(ids, source, 2);
        NewEvent again = event(ids, source, 2);
        List<Object> outcomes = hotPath.withConnection(connection -> lookups(connection).chain(before -> repository
                .insert(connection, List.of(stored))
                .chain(() -> repository.insert(connection, List.of(redelivery)))
                .chain(redelivered -> lookups(connection).chain(afterRedelivery -> repository.insert(connection,
                        List.of(first, again)).chain(batch -> lookups(connection).map(afterBatch ->
                                List.<Object>of(redelivered.get(0), afterRedelivery - before, batch.get(1),
                                        afterBatch - afterRedelivery)))))))
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(StoredEvent.duplicate(stored.id(), EventStatus.RECORDED), outcomes.get(0));
        assertEquals(0L, outcomes.get(1), "no lookup after the insert");
        assertEquals(StoredEvent.duplicate(first.id(), EventStatus.RECORDED), outcomes.get(2));
        assertEquals(1L, outcomes.get(3), "the lookup found the batch's own earlier event");
    }

    @Test
    void onlyTheHotPathForcesGenericPlans() {
        assertEquals("force_generic_plan", planCacheMode(hotPath));
        assertEquals("auto", planCacheMode(shared));
    }

    /** How many statements of the insert the connection holds prepared, and how often they ran generic and custom. */
    private static Uni<Row> prepared(SqlConnection connection) {
        return connection.preparedQuery("""
                select count(*), coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0)
                from pg_prepared_statements where statement in ($1, $2)""")
                .execute(Tuple.of(EventRepository.INSERT, EventRepository.INSERT_IN_OVERLAP))
                .map(rows -> rows.iterator().next());
    }

    /**
     * How often the lookup of existing events has run on the connection. The pool's connections outlive a test, so the
     * test compares counts taken before and after.
     */
    private static Uni<Long> lookups(SqlConnection connection) {
        return connection.preparedQuery("select coalesce(sum(generic_plans + custom_plans), 0)"
                + " from pg_prepared_statements where statement = $1")
                .execute(Tuple.of(EventRepository.FIND_EXISTING)).map(rows -> rows.iterator().next().getLong(0));
    }

    private static String planCacheMode(Pool pool) {
        return pool.query("select current_setting('plan_cache_mode')").execute().await()
                .atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
    }

    private static NewEvent event(EventIds ids, String source, int n) {
        return NewEvent.of(ids.next(), source, "identity-" + n, "t", "s", EventStatus.RECORDED, "webhooks.cached",
                Instant.now(), "{}".getBytes(), null, "{}", null);
    }
}
