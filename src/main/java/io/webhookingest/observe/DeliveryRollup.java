package io.webhookingest.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.webhookingest.config.IngestConfig;
import io.webhookingest.store.BackgroundWrite;

/**
 * Deliveries counted per source, minute and outcome on this instance, and added to the cluster-wide rollup in
 * Postgres every {@code ingest.rollup.flush-interval}, one statement for all. Counting costs a map lookup and an
 * addition. A write that fails is put back and added with the next one, so nothing is lost while Postgres is away
 * (a write whose commit succeeded but whose answer was lost is added twice); counts older than a day that could not
 * be written are dropped, which bounds what an outage can make this instance hold.
 */
@Startup
@Singleton
public class DeliveryRollup {

    static final long MINUTE_MILLIS = 60_000;
    static final Duration HELD_AT_MOST = Duration.ofDays(1);
    static final long EXPIRY_INTERVAL_MILLIS = Duration.ofMinutes(10).toMillis();
    static final Duration FINAL_WRITE_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(DeliveryRollup.class);

    /** One row of this instance's counts. */
    private record Cell(String source, long minute, String outcome, String reason) {
    }

    private static final class Tally {
        final LongAdder deliveries = new LongAdder();
        final LongAdder delaySum = new LongAdder();
        final LongAccumulator delayMax = new LongAccumulator(Math::max, 0);
    }

    private final RollupStore store;
    private final Clock clock;
    private final Vertx vertx;
    private final Duration retention;
    private final Map<Cell, Tally> cells = new ConcurrentHashMap<>();
    private final BackgroundWrite writes = new BackgroundWrite("add to the delivery rollup; adding with the next"
            + " write", LOG, this::write);
    private final long flushTimer;
    private final long expiryTimer;

    DeliveryRollup(RollupStore store, Clock clock, Vertx vertx, IngestConfig config) {
        this.store = store;
        this.clock = clock;
        this.vertx = vertx;
        this.retention = config.rollup().retention();
        this.flushTimer = vertx.setPeriodic(config.rollup().flushInterval().toMillis(), id -> writes.run());
        this.expiryTimer = vertx.setPeriodic(EXPIRY_INTERVAL_MILLIS, id -> store.expire(clock.instant()
                .minus(retention)).subscribe().with(deleted -> {
                }, failure -> LOG.debugf("Could not expire the delivery rollup (%s)", failure.toString())));
    }

    /** Counts one answered delivery. */
    public void delivered(String source, String outcome, String reason) {
        tally(source, outcome, reason).deliveries.increment();
    }

    /** Counts one event the broker acknowledged, with its delay from receipt. */
    public void published(String source, Duration delay) {
        Tally tally = tally(source, "published", "none");
        long millis = Math.max(0, delay.toMillis());
        tally.deliveries.increment();
        tally.delaySum.add(millis);
        tally.delayMax.accumulate(millis);
    }

    private Tally tally(String source, String outcome, String reason) {
        return cells.computeIfAbsent(new Cell(source, clock.millis() / MINUTE_MILLIS, outcome, reason),
                cell -> new Tally());
    }

    /** Adds what was counted since the last write to the rollup; one write at a time. */
    Uni<Void> write() {
        long now = clock.millis() / MINUTE_MILLIS;
        long oldestHeld = now - HELD_AT_MOST.toMillis() / MINUTE_MILLIS;
        List<RollupStore.Minute> batch = new ArrayList<>();
        List<Runnable> putBack = new ArrayList<>();
        cells.forEach((cell, tally) -> {
            if (cell.minute() < oldestHeld) {
                cells.remove(cell, tally);
                return;
            }
            long deliveries = tally.deliveries.sumThenReset();
            long delaySum = tally.delaySum.sumThenReset();
            long delayMax = tally.delayMax.getThenReset();
            if (deliveries > 0) {
                batch.add(new RollupStore.Minute(cell.source(), Instant.ofEpochMilli(cell.minute() * MINUTE_MILLIS),
                        cell.outcome(), cell.reason(), deliveries, delaySum, delayMax));
                putBack.add(() -> {
                    Tally kept = cells.computeIfAbsent(cell, again -> new Tally());
                    kept.deliveries.add(deliveries);
                    kept.delaySum.add(delaySum);
                    kept.delayMax.accumulate(delayMax);
                });
            } else if (cell.minute() < now - 1) {
                cells.remove(cell, tally);
            }
        });
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return store.add(batch).onFailure().invoke(failure -> putBack.forEach(Runnable::run));
    }

    void stop(@Observes ShutdownEvent stopping) {
        vertx.cancelTimer(flushTimer);
        vertx.cancelTimer(expiryTimer);
        writes.finish(FINAL_WRITE_TIMEOUT);
    }
}
