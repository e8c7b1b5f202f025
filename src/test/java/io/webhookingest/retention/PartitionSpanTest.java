package io.webhookingest.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
import io.webhookingest.store.EventIds;
import io.webhookingest.store.EventRepository;
import io.webhookingest.store.EventStatus;
import io.webhookingest.store.KeyGenerations;
import io.webhookingest.store.NewEvent;
import io.webhookingest.testing.KafkaBrokerResource;

/**
 * With a partition span shorter than a day, partitions line up with the span's multiples since midnight, are
 * created ahead, and expire a span at a time; key generations are a retention long and overlap by a quarter of it.
 */
@QuarkusTest
@TestProfile(PartitionSpanTest.QuarterHours.class)
@WithTestResource(KafkaBrokerResource.class)
class PartitionSpanTest {

    public static class QuarterHours implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "ingest.partition-span", "15m",
                    "ingest.retention", "2h",
                    "ingest.retention-interval", "1m");
        }
    }

    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'event_p'yyyyMMdd_HHmm")
            .withZone(ZoneOffset.UTC);

    @Inject
    PartitionMaintenance maintenance;

    @Inject
    EventRepository repository;

    @Inject
    KeyGenerations generations;

    @Inject
    Pool pool;

    @Test
    void quarterHourPartitionsAreCreatedAheadAndDroppedOnceTheirEventsExpire() {
        Instant now = Instant.now();
        Instant expired = now.minus(Duration.ofHours(3));
        String expiredPartition = NAME.format(quarterOf(expired));
        assertEquals(1, maintenance.createPartitions(expired, expired).await().atMost(Duration.ofSeconds(30)));
        UUID old = new EventIds(Clock.fixed(expired, ZoneOffset.UTC)).next();
        String source = "span-" + UUID.randomUUID().toString().substring(0, 8);
        insert(old, source, expired);
        assertEquals(1, count("select count(*) from " + expiredPartition + " where id = $1", old),
                "an event lands in the quarter hour its id is from");

        PartitionMaintenance.Outcome outcome = maintenance.run().await().atMost(Duration.ofSeconds(60));

        assertTrue(outcome.partitionsDropped().contains(expiredPartition), outcome.toString());
        assertEquals(0, count("select count(*) from event where id = $1", old), "its event went with it");
        Instant soon = now.plus(Duration.ofMinutes(44));
        List<String> covering = maintenance.partitions().await().atMost(Duration.ofSeconds(10)).stream()
                .filter(p -> p.overlaps(soon, soon.plusMillis(1))).map(PartitionMaintenance.EventPartition::name)
                .toList();
        assertEquals(List.of(NAME.format(quarterOf(soon))), covering, "three spans ahead are ready, on quarter hours");

        KeyGenerations.Generation last = generations.refresh().await().atMost(Duration.ofSeconds(10))
                .stream().reduce((first, second) -> second).orElseThrow();
        assertEquals(Duration.ofHours(2), Duration.between(last.startsAt(), last.endsAt()),
                "a key generation lasts a retention");
        assertEquals(Duration.ofMinutes(30), last.overlap(), "and overlaps its predecessor by a quarter of that");
        assertFalse(last.endsAt().isBefore(now.plus(Duration.ofHours(2))), "one reaches a whole retention ahead");
    }

    private static Instant quarterOf(Instant instant) {
        return Instant.ofEpochSecond(instant.getEpochSecond() / 900 * 900);
    }

    private long count(String sql, UUID id) {
        return pool.preparedQuery(sql).execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(10)).iterator().next()
                .getLong(0);
    }

    private void insert(UUID id, String source, Instant receivedAt) {
        NewEvent event = new NewEvent(id, source, id.toString(), "t", "s", EventStatus.PUBLISHED, "webhooks.span",
                receivedAt, "{}".getBytes(), null, "{}", null, null, null, null, null);
        repository.insert(List.of(event)).toCompletionStage().toCompletableFuture().join();
    }
}
