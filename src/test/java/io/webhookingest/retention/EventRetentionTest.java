package io.webhookingest.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.store.EventIds;
import io.webhookingest.store.EventRepository;
import io.webhookingest.store.EventStatus;
import io.webhookingest.store.NewEvent;
import io.webhookingest.testing.KafkaBrokerResource;

/** Old events go, pending and failed ones never do, and expired nonces are forgotten. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class EventRetentionTest {

    @Inject
    EventRetention retention;

    @Inject
    EventRepository repository;

    @Inject
    Pool pool;

    @Test
    void deletesEventsPastTheRetentionButNeverUnpublishedOnesAndForgetsExpiredNonces() {
        Instant old = Instant.now().minus(Duration.ofDays(31));
        EventIds oldIds = new EventIds(Clock.fixed(old, ZoneOffset.UTC));
        String source = "retention-" + UUID.randomUUID().toString().substring(0, 8);
        Map<EventStatus, UUID> oldEvents = new EnumMap<>(EventStatus.class);
        for (EventStatus status : EventStatus.values()) {
            UUID id = oldIds.next();
            oldEvents.put(status, id);
            insert(id, source, status, old);
        }
        UUID recent = new EventIds(Clock.systemUTC()).next();
        insert(recent, source, EventStatus.PUBLISHED, Instant.now());
        pool.preparedQuery("insert into seen_nonce (source, nonce, expires_at) values ($1, 'expired', now() - interval"
                + " '1 minute'), ($1, 'live', now() + interval '1 minute')").execute(Tuple.of(source))
                .await().atMost(Duration.ofSeconds(10));

        long deleted = retention.purge().await().atMost(Duration.ofSeconds(30));

        assertEquals(true, deleted >= 4);
        List<UUID> remaining = pool.preparedQuery("select id from event where source = $1 order by id")
                .execute(Tuple.of(source)).await().atMost(Duration.ofSeconds(10))
                .stream().map(row -> row.getUUID(0)).toList();
        assertEquals(List.of(oldEvents.get(EventStatus.PENDING), oldEvents.get(EventStatus.FAILED), recent), remaining);
        List<String> nonces = pool.preparedQuery("select nonce from seen_nonce where source = $1")
                .execute(Tuple.of(source)).await().atMost(Duration.ofSeconds(10))
                .stream().map(row -> row.getString(0)).toList();
        assertEquals(List.of("live"), nonces);
    }

    private void insert(UUID id, String source, EventStatus status, Instant receivedAt) {
        boolean described = status != EventStatus.QUARANTINED && status != EventStatus.RELEASED;
        repository.insert(List.of(new NewEvent(id, source, id.toString(), described ? "t" : null,
                described ? "s" : null, status, "webhooks.retention", receivedAt, "{}".getBytes(), null, "{}",
                null, null, null, null))).toCompletionStage().toCompletableFuture().join();
    }
}
