package io.webhookingest.relay;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.config.IngestConfig;

/**
 * Elects the one instance that publishes, through a lease row in Postgres: several instances on one database never
 * publish the same events at once, and when the holder dies, another takes over once its lease expires.
 * <p>
 * The database's clock decides expiry. Locally, an instance stops acting as holder one lease length after it
 * <em>sent</em> its last successful renewal, measured on its monotonic clock, which is always before the database
 * lets anyone else take over. Each takeover raises the lease's fencing token; the relay's changes to the queue
 * carry the {@link Fence} they started with and do nothing once it is no longer the lease's, so an instance that
 * was frozen past its lease and wakes up mid-round cannot change anything.
 */
@ApplicationScoped
public class RelayLease {

    static final String OUTBOX = "outbox";

    private static final Logger LOG = Logger.getLogger(RelayLease.class);
    private static final long SAFETY_MARGIN_NANOS = Duration.ofMillis(500).toNanos();

    private static final String ACQUIRE = """
            insert into relay_lease (name, holder, expires_at, token)
            values ($1, $2, now() + make_interval(secs => $3), 1)
            on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at,
                token = case when relay_lease.holder = excluded.holder then relay_lease.token
                             else relay_lease.token + 1 end
                where relay_lease.holder = excluded.holder or relay_lease.expires_at < now()
            returning token""";

    /** Expires the lease rather than deleting it, so that the next holder's token is still higher than this one's. */
    private static final String RELEASE = """
            update relay_lease set expires_at = now() - interval '1 millisecond'
            where name = $1 and holder = $2 and token = $3""";

    /** The holder and token a round works under; the queue accepts its changes only while both are the lease's. */
    public record Fence(String holder, long token) {
    }

    private final Pool pool;
    private final Vertx vertx;
    private final Duration ttl;
    private final String holder;
    private volatile long heldUntilNanos = System.nanoTime();
    private volatile boolean held;
    private volatile long token;
    private volatile Runnable onAcquired = () -> { };
    private long timer = -1;

    RelayLease(Pool pool, Vertx vertx, IngestConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.ttl = config.relay().leaseTtl();
        this.holder = System.getenv().getOrDefault("HOSTNAME", ManagementFactory.getRuntimeMXBean().getName())
                + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Starts competing for the lease; {@code acquired} runs each time this instance becomes the holder. */
    void start(Runnable acquired) {
        this.onAcquired = acquired;
        renew();
        timer = vertx.setPeriodic(Math.max(1, ttl.toMillis() / 3), id -> renew());
    }

    /** True while this instance holds the lease and may publish. */
    public boolean isHeld() {
        return held && System.nanoTime() - heldUntilNanos < 0;
    }

    /** True while this instance holds the lease for at least {@code time} more, so that a round can finish in it. */
    public boolean isHeldFor(Duration time) {
        return held && heldUntilNanos - System.nanoTime() > time.toNanos();
    }

    /** The fence of the lease as this instance holds it now. */
    public Fence fence() {
        return new Fence(holder, token);
    }

    public Duration ttl() {
        return ttl;
    }

    public String holder() {
        return holder;
    }

    /** Gives the lease up at shutdown so that another instance takes over at once instead of after expiry. */
    void release() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        boolean wasHeld = isHeld();
        held = false;
        if (wasHeld) {
            pool.preparedQuery(RELEASE).execute(Tuple.of(OUTBOX, holder, token)).await().atMost(Duration.ofSeconds(5));
            LOG.infof("Relay lease released by %s", holder);
        }
    }

    /** Stops renewing without giving the lease up: it expires, so that nobody takes over while a round may run. */
    void abandon() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        held = false;
    }

    private void renew() {
        long sent = System.nanoTime();
        pool.preparedQuery(ACQUIRE).execute(Tuple.of(OUTBOX, holder, (double) ttl.toMillis() / 1000))
                .subscribe().with(rows -> {
                    boolean wasHeld = isHeld();
                    if (rows.rowCount() > 0) {
                        Row row = rows.iterator().next();
                        token = row.getLong(0);
                        heldUntilNanos = sent + ttl.toNanos() - SAFETY_MARGIN_NANOS;
                        held = true;
                        if (!wasHeld) {
                            LOG.infof("Relay lease acquired by %s: this instance publishes the outbox", holder);
                            onAcquired.run();
                        }
                    } else {
                        held = false;
                        if (wasHeld) {
                            LOG.infof("Relay lease lost by %s", holder);
                        }
                    }
                }, failure -> LOG.debugf("Could not renew the relay lease: %s", failure.getMessage()));
    }
}
