package io.webhookingest.retention;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.store.EventIds;
import io.webhookingest.store.EventRepository;
import io.webhookingest.store.EventStatus;
import io.webhookingest.store.NewEvent;
import io.webhookingest.store.StoredEvent;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Management;
import io.webhookingest.testing.RelayLeases;
import io.webhookingest.testing.Metrics;

/**
 * Expiry drops whole partitions: old events go with their day's partition, unpublished, failed and quarantined ones
 * are moved aside first and survive, and deduplication outlives the partition its first event was in.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class PartitionMaintenanceTest {

    @Inject
    PartitionMaintenance maintenance;

    @Inject
    EventRepository repository;

    @Inject
    Pool pool;

    @Test
    void partitionsPastTheRetentionAreDroppedKeepingUnpublishedFailedAndQuarantinedEvents() {
        Instant old = Instant.now().minus(Duration.ofDays(40));
        LocalDate oldDay = old.atZone(ZoneOffset.UTC).toLocalDate();
        String partition = "event_p" + oldDay.toString().replace("-", "");
        assertEquals(1, maintenance.createPartitions(old, old).await().atMost(Duration.ofSeconds(30)));
        RelayLeases.holdElsewhere(pool);
        try {
            EventIds oldIds = new EventIds(Clock.fixed(old, ZoneOffset.UTC));
            String source = "retention-" + UUID.randomUUID().toString().substring(0, 8);
            Map<EventStatus, UUID> oldEvents = new EnumMap<>(EventStatus.class);
            for (EventStatus status : EventStatus.values()) {
                UUID id = oldIds.next();
                oldEvents.put(status, id);
                insert(id, source, status, old);
            }
            assertEquals(EventStatus.values().length, count("select count(*) from " + partition
                    + " where source = $1", source), "the aged events are in their day's partition");
            UUID recent = new EventIds(Clock.systemUTC()).next();
            insert(recent, source, EventStatus.PUBLISHED, Instant.now());

            JsonPath outcome = Management.admin().post("/admin/maintenance").then().statusCode(200)
                    .extract().jsonPath();

            List<String> dropped = outcome.getList("partitionsDropped", String.class);
            assertTrue(dropped.contains(partition), dropped.toString());
            assertTrue(outcome.getLong("eventsKept") >= 3, "its 3 kept events are counted: " + outcome.prettify());
            assertEquals(0, count("select count(*) from pg_class where relname = $1", partition), "dropped whole");
            List<UUID> remaining = pool.preparedQuery("select id from event where source = $1 order by id")
                    .execute(Tuple.of(source)).await().atMost(Duration.ofSeconds(10))
                    .stream().map(row -> row.getUUID(0)).toList();
            assertEquals(List.of(oldEvents.get(EventStatus.PENDING), oldEvents.get(EventStatus.QUARANTINED),
                    oldEvents.get(EventStatus.FAILED), recent), remaining,
                    "published, recorded and released went; pending, quarantined and failed stayed");
            assertEquals(3, count("select count(*) from event_kept where source = $1", source));

            NewEvent again = event(UUID.randomUUID(), source, oldEvents.get(EventStatus.PUBLISHED).toString(),
                    EventStatus.PENDING, Instant.now());
            StoredEvent stored = repository.insert(List.of(again)).toCompletionStage().toCompletableFuture().join()
                    .get(0);
            assertFalse(stored.created(), "its identity is still known after its partition went");
            assertEquals(oldEvents.get(EventStatus.PUBLISHED), stored.id());

            pool.preparedQuery("delete from event_outbox where event_id = $1")
                    .execute(Tuple.of(oldEvents.get(EventStatus.PENDING))).await().atMost(Duration.ofSeconds(10));
            long keptDeleted = Management.admin().post("/admin/maintenance").then().statusCode(200)
                    .extract().jsonPath().getLong("keptDeleted");
            assertTrue(keptDeleted >= 1, "the kept event published since then goes: " + keptDeleted);
            assertEquals(List.of(oldEvents.get(EventStatus.QUARANTINED), oldEvents.get(EventStatus.FAILED)),
                    pool.preparedQuery("select id from event_kept where source = $1 order by id")
                            .execute(Tuple.of(source)).await().atMost(Duration.ofSeconds(10))
                            .stream().map(row -> row.getUUID(0)).toList(), "quarantined and failed stay");

            await().atMost(Duration.ofSeconds(20)).until(() -> Metrics.value("webhook_ingest_quarantined", Map.of())
                    >= 1 && Metrics.value("webhook_ingest_quarantined_oldest_age_seconds", Map.of())
                            > Duration.ofDays(39).toSeconds());
        } finally {
            RelayLeases.giveBack(pool);
        }
    }

    @Test
    void partitionsAreCreatedAheadAndEveryRunIsIdempotent() {
        maintenance.run().await().atMost(Duration.ofSeconds(60));
        PartitionMaintenance.Outcome again = maintenance.run().await().atMost(Duration.ofSeconds(60));
        assertEquals(0, again.partitionsCreated(), "nothing left to create");
        LocalDate ahead = LocalDate.now(ZoneOffset.UTC).plusDays(PartitionMaintenance.SPANS_AHEAD);
        Instant start = ahead.atStartOfDay(ZoneOffset.UTC).toInstant();
        List<String> covering = maintenance.partitions().await().atMost(Duration.ofSeconds(10)).stream()
                .filter(p -> p.overlaps(start, start.plusSeconds(1))).map(p -> p.name()).toList();
        assertEquals(List.of("event_p" + ahead.toString().replace("-", "")), covering,
                "an event " + PartitionMaintenance.SPANS_AHEAD + " days ahead already has its partition");
        assertTrue(count("select count(*) from event_key_generation where ends_at > now() + interval '30 days'",
                null) >= 1, "a key generation reaches a whole retention ahead");
    }

    private long count(String sql, String source) {
        Tuple parameters = source == null ? Tuple.tuple() : Tuple.of(source);
        return pool.preparedQuery(sql).execute(parameters).await().atMost(Duration.ofSeconds(10)).iterator().next()
                .getLong(0);
    }

    private void insert(UUID id, String source, EventStatus status, Instant receivedAt) {
        NewEvent event = event(id, source, id.toString(), status, receivedAt);
        repository.insert(List.of(event)).toCompletionStage().toCompletableFuture().join();
        if (status == EventStatus.FAILED) {
            pool.preparedQuery("update event set status = 'failed' where id = $1").execute(Tuple.of(id)).await()
                    .atMost(Duration.ofSeconds(10));
        }
    }

    private static NewEvent event(UUID id, String source, String identity, EventStatus status, Instant receivedAt) {
        boolean described = status != EventStatus.QUARANTINED && status != EventStatus.RELEASED;
        EventStatus stored = status == EventStatus.FAILED ? EventStatus.PUBLISHED : status;
        return new NewEvent(id, source, identity, described ? "t" : null, described ? "s" : null, stored,
                "webhooks.retention", receivedAt, "{}".getBytes(), null, "{}", null, null, null, null, null);
    }
}
