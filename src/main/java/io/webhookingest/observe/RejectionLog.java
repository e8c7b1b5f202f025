package io.webhookingest.observe;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.webhookingest.config.IngestConfig;
import io.webhookingest.store.BackgroundWrite;

/**
 * The log of refused deliveries, kept off the hot path: the edge asks {@link #admits} first (a per-source, per-second
 * allowance, so that a flood of forged requests costs neither digests nor rows), then hands the entry over; entries
 * wait in a bounded queue and are written every second, in batches. Nothing here can slow or fail an answer: when the
 * queue is full or Postgres is away, entries are dropped and counted. Entries older than
 * {@code ingest.rejections.retention} are deleted every few minutes.
 */
@Startup
@ApplicationScoped
public class RejectionLog {

    static final int QUEUE_LIMIT = 2_000;
    static final int BATCH = 1_000;
    static final long EXPIRY_INTERVAL_MILLIS = Duration.ofMinutes(5).toMillis();
    static final int EXPIRY_BATCH = 10_000;
    static final Duration FINAL_WRITE_TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(RejectionLog.class);

    /** One source's allowance in the current second. */
    private static final class Allowance {
        final AtomicLong second = new AtomicLong();
        final AtomicInteger used = new AtomicInteger();
    }

    private final RejectionStore store;
    private final Clock clock;
    private final Vertx vertx;
    private final Duration retention;
    private final int perSourcePerSecond;
    private final Map<String, Allowance> allowances = new ConcurrentHashMap<>();
    private final Queue<RefusedDelivery> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final BackgroundWrite writes = new BackgroundWrite("write the rejection log; those entries are dropped",
            LOG, this::write);
    private final BackgroundWrite expiry = new BackgroundWrite("expire the rejection log; retrying later", LOG,
            this::expireBatches);
    private final Counter dropped;
    private final long flushTimer;
    private final long expiryTimer;

    RejectionLog(RejectionStore store, Clock clock, Vertx vertx, IngestConfig config, MeterRegistry meters) {
        this.store = store;
        this.clock = clock;
        this.vertx = vertx;
        this.retention = config.rejections().retention();
        this.perSourcePerSecond = config.rejections().perSourcePerSecond();
        this.dropped = Counter.builder("webhook.ingest.rejections.unlogged")
                .description("Refused deliveries left out of the rejection log: over the per-source allowance, the"
                        + " queue full, or Postgres unavailable")
                .register(meters);
        this.flushTimer = vertx.setPeriodic(config.rejections().flushInterval().toMillis(), id -> writes.run());
        this.expiryTimer = vertx.setPeriodic(EXPIRY_INTERVAL_MILLIS, id -> expiry.run());
    }

    /**
     * Whether a refusal of this source (the name unknown sources are counted under, for those) is logged; the caller
     * gathers what {@link #record} needs only then.
     */
    public boolean admits(String source) {
        Allowance allowance = allowances.computeIfAbsent(source, name -> new Allowance());
        long second = clock.millis() / 1000;
        long current = allowance.second.get();
        if (current != second && allowance.second.compareAndSet(current, second)) {
            allowance.used.set(0);
        }
        if (allowance.used.incrementAndGet() > perSourcePerSecond) {
            dropped.increment();
            return false;
        }
        return true;
    }

    public void record(RefusedDelivery refused) {
        if (queued.incrementAndGet() > QUEUE_LIMIT) {
            queued.decrementAndGet();
            dropped.increment();
            return;
        }
        queue.add(refused);
    }

    /** Writes what is queued, a batch at a time; one write at a time. */
    Uni<Void> write() {
        List<RefusedDelivery> batch = new ArrayList<>();
        for (RefusedDelivery next; batch.size() < BATCH && (next = queue.poll()) != null; ) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        queued.addAndGet(-batch.size());
        return store.insert(batch).onFailure().invoke(failure -> dropped.increment(batch.size()))
                .call(() -> queued.get() > 0 ? write() : Uni.createFrom().voidItem());
    }

    /** Deletes the expired entries in bounded batches, so that no statement holds many rows at once. */
    Uni<Void> expireBatches() {
        return store.expire(clock.instant().minus(retention), EXPIRY_BATCH)
                .flatMap(deleted -> deleted == EXPIRY_BATCH ? expireBatches() : Uni.createFrom().voidItem());
    }

    void stop(@Observes ShutdownEvent stopping) {
        vertx.cancelTimer(flushTimer);
        vertx.cancelTimer(expiryTimer);
        writes.finish(FINAL_WRITE_TIMEOUT);
    }
}
