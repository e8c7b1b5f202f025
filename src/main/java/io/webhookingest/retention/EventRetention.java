package io.webhookingest.retention;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.config.IngestConfig;
import io.webhookingest.relay.RelayLease;
import io.webhookingest.store.EventIds;

/**
 * Deletes events older than {@code ingest.retention} and expired nonces, in bounded batches so that a large purge
 * never holds long locks or a long transaction. Pending events are never deleted, whatever their age. Only the
 * instance holding the relay lease runs it, so replicas do not repeat each other's work.
 */
@ApplicationScoped
public class EventRetention {

    /** Providers retry for up to 4 days (Hubject); an identity must outlive that, or a retry would be stored anew. */
    static final Duration MINIMUM = Duration.ofDays(4);
    static final int BATCH = 1000;
    /** At most this many batches per run; the next run continues. */
    static final int MAX_BATCHES = 100;

    private static final Logger LOG = Logger.getLogger(EventRetention.class);

    private static final String DELETE_EVENTS = """
            delete from event where id in (
                select id from event
                where id < $1 and status in ('published', 'recorded', 'quarantined', 'released')
                  and not exists (select 1 from event_outbox o where o.id = event.id)
                order by id limit $2)""";

    private static final String DELETE_NONCES = """
            delete from seen_nonce where ctid in (
                select ctid from seen_nonce where expires_at < now() limit $1)""";

    private final Pool pool;
    private final RelayLease lease;
    private final Vertx vertx;
    private final Clock clock;
    private final Duration retention;
    private final Duration interval;
    private final AtomicBoolean running = new AtomicBoolean();

    EventRetention(Pool pool, RelayLease lease, Vertx vertx, Clock clock, IngestConfig config) {
        if (config.retention().compareTo(MINIMUM) < 0) {
            throw new IllegalStateException("ingest.retention must be at least " + MINIMUM.toDays()
                    + "d: providers retry for up to 4 days, and an identity deleted earlier would let a retry be"
                    + " stored and published again");
        }
        this.pool = pool;
        this.lease = lease;
        this.vertx = vertx;
        this.clock = clock;
        this.retention = config.retention();
        this.interval = config.retentionInterval();
    }

    void start(@Observes StartupEvent event) {
        vertx.setPeriodic(interval.toMillis(), id -> {
            if (lease.isHeld()) {
                purge().subscribe().with(deleted -> { }, failure -> LOG.warnf("Retention run failed: %s",
                        failure.getMessage()));
            }
        });
    }

    /** Runs one purge now (unless one is running); the outcome is how many events it deleted. */
    public Uni<Long> purge() {
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().item(0L);
        }
        UUID cutoff = EventIds.lowerBound(clock.instant().minus(retention));
        return deleteEvents(cutoff, 0, 0L)
                .call(() -> pool.preparedQuery(DELETE_NONCES).execute(Tuple.of(BATCH)))
                .invoke(deleted -> {
                    if (deleted > 0) {
                        LOG.infof("Deleted %d event(s) older than %s", deleted, retention);
                    }
                })
                .eventually(() -> running.set(false));
    }

    private Uni<Long> deleteEvents(UUID cutoff, int batches, long deleted) {
        return pool.preparedQuery(DELETE_EVENTS).execute(Tuple.of(cutoff, BATCH))
                .chain(rows -> rows.rowCount() == BATCH && batches + 1 < MAX_BATCHES
                        ? deleteEvents(cutoff, batches + 1, deleted + rows.rowCount())
                        : Uni.createFrom().item(deleted + rows.rowCount()));
    }
}
