package io.webhookingest.relay;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Topics;

/**
 * Once the relay has taken {@code ingest.relay.vacuum-after} events (20 in tests) off the outbox queue, it vacuums
 * the queue itself, so its rounds do not slow down as the entries of published events pile up in the index.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class OutboxVacuumTest {

    @Inject
    Pool pool;

    @Test
    void theRelayVacuumsTheQueueAfterTakingEnoughEventsOffIt() {
        long before = manualVacuums();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(Hubject.deliver(Hubject.contractCreated(UUID.randomUUID().toString()), Hubject.SECRET)
                    .statusCode(200).extract().path("events[0].id"));
        }

        ids.forEach(id -> Topics.awaitCloudEvent(Hubject.TOPIC, id));
        await().atMost(Duration.ofSeconds(20)).until(() -> manualVacuums() > before);
    }

    /** Vacuums not run by autovacuum, as Postgres counts them. */
    private long manualVacuums() {
        return pool.query("select vacuum_count from pg_stat_user_tables where relname = 'event_outbox'").execute()
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }
}
