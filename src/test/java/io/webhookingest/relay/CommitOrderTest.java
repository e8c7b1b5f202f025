package io.webhookingest.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.webhookingest.store.EventIds;
import io.webhookingest.store.EventStatus;
import io.webhookingest.store.EventWriter;
import io.webhookingest.store.NewEvent;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Topics;

/**
 * Event ids come from each instance's clock; publication follows the order in which Postgres stored the events. A
 * pod whose clock runs ten minutes ahead stores a subject's first event, a pod on time its second, whose id is
 * therefore the smaller: the topic still has them in the order they were stored.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class CommitOrderTest {

    private static final String ELSEWHERE = "an-instance-elsewhere";

    @Inject
    EventWriter writer;

    @Inject
    OutboxRelay relay;

    @Inject
    Pool pool;

    @Test
    void aSubjectsEventsArePublishedInTheOrderTheyWereStoredWhateverTheWritersClocks() {
        EventIds ahead = new EventIds(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)));
        EventIds onTime = new EventIds(Clock.systemUTC());
        String subject = "commit-order-" + UUID.randomUUID();
        NewEvent first = event(ahead.next(), subject, "first");
        NewEvent second = event(onTime.next(), subject, "second");
        assertTrue(second.id().compareTo(first.id()) < 0, "the later event has the smaller id");

        holdLeaseElsewhere();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> !relay.isPublishing());
            write(first);
            write(second);
        } finally {
            pool.query("delete from relay_lease where holder = '" + ELSEWHERE + "'").execute()
                    .await().atMost(Duration.ofSeconds(5));
        }

        List<String> published = await().atMost(Duration.ofSeconds(30)).until(() -> Topics.readAll(Hubject.TOPIC)
                .stream().filter(r -> subject.equals(r.key())).map(CommitOrderTest::identity).toList(),
                found -> found.size() == 2);
        assertEquals(List.of("first", "second"), published);
    }

    /** Another instance takes the lease, so that this one publishes nothing until both events are stored. */
    private void holdLeaseElsewhere() {
        pool.query("""
                insert into relay_lease (name, holder, expires_at, token)
                values ('outbox', '%s', now() + interval '1 minute', 1)
                on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at,
                    token = relay_lease.token + 1""".formatted(ELSEWHERE)).execute()
                .await().atMost(Duration.ofSeconds(5));
    }

    private void write(NewEvent event) {
        writer.write(List.of(event)).toCompletionStage().toCompletableFuture().join();
    }

    private static NewEvent event(UUID id, String subject, String identity) {
        return NewEvent.of(id, "hubject", subject + "-" + identity, "oem.contract.created", subject,
                EventStatus.PENDING, Hubject.TOPIC, Instant.now(), identity.getBytes(StandardCharsets.UTF_8), null,
                "{}", null);
    }

    private static String identity(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }
}
