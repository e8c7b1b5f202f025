package io.webhookingest.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.retention.PartitionMaintenance;
import io.webhookingest.testing.KafkaBrokerResource;

/**
 * Deduplication across key generations: an identity, a content digest or a nonce stored in the previous generation
 * is still known in the current one, after the overlap and during it. The generations are reshaped so that the
 * current one started two hours ago (past its overlap of an hour), then ten minutes ago (within it).
 */
@QuarkusTest
@TestProfile(KeyGenerationsTest.OwnGenerations.class)
@WithTestResource(KafkaBrokerResource.class)
class KeyGenerationsTest {

    /** Its own instance, whose generations this test may reshape; maintenance runs once, at startup. */
    public static class OwnGenerations implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ingest.retention-interval", "1h");
        }
    }

    @Inject
    EventRepository repository;

    @Inject
    KeyGenerations generations;

    @Inject
    PartitionMaintenance maintenance;

    @Inject
    Pool pool;

    private final EventIds ids = new EventIds(Clock.systemUTC());
    private final String source = "generations-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void keysOfThePreviousGenerationAreKnownAfterItsOverlapAndDuringIt() {
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from event_key_generation") == 2);
        StoredEvent identity = insert(event("identity"));
        StoredEvent retried = insert(event("retried").withKeys(null, "nonce-1"));
        StoredEvent content = insert(event("content").withKeys("digest-1", null));
        assertTrue(identity.created() && retried.created() && content.created());

        reshape("2 hours");
        assertFalse(generations.target().overlap());
        assertEquals(1, generations.target().current());

        assertEquals(StoredEvent.duplicate(identity.id(), EventStatus.PENDING), insert(event("identity")));
        assertEquals(StoredEvent.duplicate(retried.id(), EventStatus.PENDING),
                insert(event("retried").withKeys(null, "nonce-2")), "a retry signed anew is a duplicate");
        assertEquals(StoredEvent.replayed(EventStatus.PENDING), insert(event("replay").withKeys(null, "nonce-1")),
                "a nonce seen in the previous generation is a replay");
        assertEquals(StoredEvent.duplicate(content.id(), EventStatus.PENDING),
                insert(event("other-identity").withKeys("digest-1", null)));
        StoredEvent fresh = insert(event("fresh"));
        assertTrue(fresh.created());
        assertEquals(List.of(1), gens("fresh"), "a new key goes into the current generation only");

        reshape("10 minutes");
        assertTrue(generations.target().overlap());

        assertEquals(StoredEvent.duplicate(identity.id(), EventStatus.PENDING), insert(event("identity")));
        assertEquals(StoredEvent.duplicate(fresh.id(), EventStatus.PENDING), insert(event("fresh")));
        assertTrue(insert(event("in-overlap")).created());
        assertEquals(List.of(0, 1), gens("in-overlap"), "in the overlap a key is claimed in both generations");
        assertEquals(1, count("select count(*) from event where source = '" + source + "'"
                + " and identity = 'identity'"));
    }

    @Test
    void aGenerationGoesWholeOnceItsSuccessorEndedAndTablesLeftDetachedGoToo() {
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from event_key_generation") == 2);
        pool.query("""
                update event_key_generation set ends_at = now() - interval '3 days' where gen = 0;
                update event_key_generation set starts_at = now() - interval '3 days',
                    ends_at = now() - interval '2 days' where gen = 1;
                insert into event_key_generation values (2, now() - interval '2 days', now() + interval '30 days');
                create table event_key_2 partition of event_key for values in (2);
                create table event_p20000101 (like event)""").execute().await().atMost(Duration.ofSeconds(10));
        generations.refresh().await().atMost(Duration.ofSeconds(10));

        PartitionMaintenance.Outcome outcome = maintenance.run().await().atMost(Duration.ofSeconds(60));

        assertEquals(List.of(), outcome.failures());
        assertEquals(1, outcome.generationsDropped(), outcome.toString());
        assertEquals(List.of(1, 2), generations.all().stream().map(KeyGenerations.Generation::gen).limit(2).toList(),
                "the oldest left is the one whose successor has not ended");
        assertEquals(0, count("select count(*) from pg_class where relname in ('event_key_0', 'event_p20000101')"),
                "the generation's table is dropped, and so is a table an interrupted run left detached");
    }

    /** The current generation (1) started this long ago; the previous one (0) ended then. */
    private void reshape(String ago) {
        pool.query("""
                update event_key_generation set ends_at = now() - interval '%1$s' where gen = 0;
                update event_key_generation set starts_at = now() - interval '%1$s', ends_at = now()
                    + interval '30 days' where gen = 1""".formatted(ago)).execute()
                .await().atMost(Duration.ofSeconds(10));
        generations.refresh().await().atMost(Duration.ofSeconds(10));
    }

    private NewEvent event(String identity) {
        return NewEvent.of(ids.next(), source, identity, "t", "s", EventStatus.PENDING, "webhooks.generations",
                Instant.now(), identity.getBytes(StandardCharsets.UTF_8), null, "{}", null);
    }

    private StoredEvent insert(NewEvent event) {
        return repository.insert(List.of(event)).toCompletionStage().toCompletableFuture().join().get(0);
    }

    private List<Integer> gens(String identity) {
        return pool.preparedQuery("select gen from event_key where source = $1 and kind = 1 and key = $2 order by gen")
                .execute(Tuple.of(source, identity)).await().atMost(Duration.ofSeconds(10)).stream()
                .map(row -> row.getInteger(0)).toList();
    }

    private long count(String sql) {
        return pool.query(sql).execute().await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }
}
