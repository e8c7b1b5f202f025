package io.webhookingest.relay;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.vertx.mutiny.sqlclient.Pool;
import io.webhookingest.config.IngestConfig;

/**
 * Vacuums the outbox queue once enough events have been taken off it. A deleted entry stays in the queue's index
 * until a vacuum; every relay round reads past those at the index's head, so without this each round costs more
 * the longer the relay runs between autovacuum passes (or forever, where autovacuum is off). One vacuum at a time,
 * beside the relay's rounds, never in their way.
 */
@ApplicationScoped
public class OutboxVacuum {

    private static final Logger LOG = Logger.getLogger(OutboxVacuum.class);

    private final Pool pool;
    private final int threshold;
    private final AtomicLong takenSinceVacuum = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();

    OutboxVacuum(Pool pool, IngestConfig config) {
        this.pool = pool;
        this.threshold = config.relay().vacuumAfter();
    }

    /** Counts events taken off the queue and starts a vacuum when they reach the threshold. */
    void taken(int count) {
        if (threshold <= 0 || takenSinceVacuum.addAndGet(count) < threshold || !running.compareAndSet(false, true)) {
            return;
        }
        takenSinceVacuum.set(0);
        // VACUUM cannot run in a transaction, so it goes as a simple query on a connection of its own.
        pool.query("vacuum event_outbox").execute()
                .eventually(() -> running.set(false))
                .subscribe().with(
                        rows -> LOG.debug("Vacuumed the outbox queue"),
                        failure -> LOG.warnf("Could not vacuum the outbox queue (%s); autovacuum remains",
                                failure.toString()));
    }
}
