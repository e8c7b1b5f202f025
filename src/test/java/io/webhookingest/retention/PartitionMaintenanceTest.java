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
import java.util.Collection;
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
                addHistory(id, old);
            }
            assertEquals(EventStatus.values().length, count("select count(*) from " + partition
                    + " where source = $1", source), "the aged events are in their day's partition");
            UUID recent = new EventIds(Clock.systemUTC()).next();
            insert(recent, source, EventStatus.PUBLISHED, Instant.now());

            JsonPath outcome = Management.admin().post("/admin/maintenance").then().statusCode(200)
                    .extract().jsonPath();

            assertEquals(List.of(), outcome.getList("failures"), "every step succeeded: " + outcome.prettify());
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
            assertEquals(List.of(oldEvents.get(EventStatus.PENDING), oldEvents.get(EventStatus.QUARANTINED),
                    oldEvents.get(EventStatus.FAILED)), historyOf(oldEvents.values()),
                    "the kept events keep their history; the others' went with the partition");
            assertEquals(0, count("select count(*) from pg_class where relname = $1", "event_activity_"
                    + partition.substring("event_".length())), "the history's partition was dropped whole too");

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
            assertEquals(List.of(oldEvents.get(EventStatus.QUARANTINED), oldEvents.get(EventStatus.FAILED)),
                    historyOf(oldEvents.values()), "a kept event's history goes with it");

            await().atMost(Duration.ofSeconds(20)).until(() -> Metrics.value("webhook_ingest_quarantined", Map.of())
                    >= 1 && Metrics.value("webhook_ingest_quarantined_oldest_age_seconds", Map.of())
                            > Duration.ofDays(39).toSeconds());
        } finally {
            RelayLeases.giveBack(pool);
        }
    }

    @Test
    void eventsStoredBeforeTheirPartitionExistedMoveIntoItWithTheirHistory() {
        Instant later = Instant.now().plus(Duration.ofDays(400));
        String day = later.atZone(ZoneOffset.UTC).toLocalDate().toString().replace("-", "");
        UUID id = new EventIds(Clock.fixed(later, ZoneOffset.UTC)).next();
        String source = "ahead-" + UUID.randomUUID().toString().substring(0, 8);
        insert(id, source, EventStatus.PUBLISHED, later);
        addHistory(id, later);
        assertEquals(1, count("select count(*) from event_kept where source = $1", source), "no partition yet");
        assertEquals(1, count("select count(*) from event_activity_kept where event_id = $1", id));

        assertEquals(1, maintenance.createPartitions(later, later).await().atMost(Duration.ofSeconds(30)));

        assertEquals(1, count("select count(*) from event_p" + day + " where source = $1", source));
        assertEquals(1, count("select count(*) from event_activity_p" + day + " where event_id = $1", id),
                "its history moved into the partition of the same range");
        assertEquals(List.of(id), historyOf(List.of(id)));
    }

    @Test
    void partitionsAnEarlierVersionCreatedOrDroppedGetOrLoseTheirHistorysPartition() {
        Instant later = Instant.now().plus(Duration.ofDays(500));
        String laterDay = "p" + later.atZone(ZoneOffset.UTC).toLocalDate().toString().replace("-", "");
        Instant laterStart = later.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
        execute("create table event_" + laterDay + " partition of event" + bounds(laterStart));

        Instant old = Instant.now().minus(Duration.ofDays(50));
        String oldDay = "p" + old.atZone(ZoneOffset.UTC).toLocalDate().toString().replace("-", "");
        Instant oldStart = old.atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant();
        execute("create table event_activity_" + oldDay + " partition of event_activity" + bounds(oldStart));
        EventIds oldIds = new EventIds(Clock.fixed(old, ZoneOffset.UTC));
        UUID failed = oldIds.next();
        UUID gone = oldIds.next();
        insert(failed, "upgrade-" + UUID.randomUUID().toString().substring(0, 8), EventStatus.FAILED, old);
        addHistory(failed, old);
        addHistory(gone, old);

        Management.admin().post("/admin/maintenance").then().statusCode(200);

        assertEquals(1, count("select count(*) from pg_inherits where inhrelid = to_regclass($1)"
                + " and inhparent = 'event_activity'::regclass", "event_activity_" + laterDay),
                "an event partition without one gets its history's partition");
        assertEquals(0, count("select count(*) from pg_class where relname = $1", "event_activity_" + oldDay),
                "a history partition past the retention whose events' partition is gone is dropped");
        assertEquals(List.of(failed), historyOf(List.of(failed, gone)), "keeping the history of the kept event");
        assertEquals(1, count("select count(*) from event_activity_kept where event_id = $1", failed));
    }

    private void execute(String sql) {
        pool.query(sql).execute().await().atMost(Duration.ofSeconds(10));
    }

    /** The bounds of the partition of a day starting at {@code start}, as the service writes them. */
    private static String bounds(Instant start) {
        return " for values from ('" + EventIds.lowerBound(start) + "') to ('"
                + EventIds.lowerBound(start.plus(Duration.ofDays(1))) + "')";
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
        assertEquals(1, count("select count(*) from pg_inherits where inhrelid = to_regclass($1)"
                + " and inhparent = 'event_activity'::regclass", "event_activity_p" + ahead.toString()
                        .replace("-", "")), "and so does its history");
        assertTrue(count("select count(*) from event_key_generation where ends_at > now() + interval '30 days'",
                null) >= 1, "a key generation reaches a whole retention ahead");
    }

    private long count(String sql, Object parameter) {
        Tuple parameters = parameter == null ? Tuple.tuple() : Tuple.of(parameter);
        return pool.preparedQuery(sql).execute(parameters).await().atMost(Duration.ofSeconds(10)).iterator().next()
                .getLong(0);
    }

    /** A publication in the event's history, as the relay writes it. */
    private void addHistory(UUID id, Instant at) {
        pool.preparedQuery("insert into event_activity (event_id, at, action) values ($1, $2, 'published')")
                .execute(Tuple.of(id, at.atOffset(ZoneOffset.UTC))).await().atMost(Duration.ofSeconds(10));
    }

    /** The events of each step in the history of these events, in id order: an id for each step. */
    private List<UUID> historyOf(Collection<UUID> ids) {
        return pool.preparedQuery("select event_id from event_activity where event_id = any($1) order by event_id").execute(Tuple.of(ids.toArray(UUID[]::new))).await()
                .atMost(Duration.ofSeconds(10)).stream().map(row -> row.getUUID(0)).toList();
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
