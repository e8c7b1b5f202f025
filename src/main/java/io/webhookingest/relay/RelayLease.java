package io.webhookingest.relay;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.config.IngestConfig;

/**
 * Elects the one instance that publishes, through a lease row in Postgres: several instances on one database never
 * publish the same events at once, and when the holder dies, another takes over once its lease expires.
 * <p>
 * The database's clock decides expiry. Locally, an instance stops acting as holder one lease length after it
 * <em>sent</em> its last successful renewal, measured on its monotonic clock, which is always before the database
 * lets anyone else take over.
 */
@ApplicationScoped
public class RelayLease {

    static final String OUTBOX = "outbox";

    private static final Logger LOG = Logger.getLogger(RelayLease.class);
    private static final long SAFETY_MARGIN_NANOS = Duration.ofMillis(500).toNanos();

    private static final String ACQUIRE = """
            insert into relay_lease (name, holder, expires_at) values ($1, $2, now() + make_interval(secs => $3))
            on conflict (name) do update set holder = excluded.holder, expires_at = excluded.expires_at
                where relay_lease.holder = excluded.holder or relay_lease.expires_at < now()
            returning holder""";

    private static final String RELEASE = "delete from relay_lease where name = $1 and holder = $2";

    private final Pool pool;
    private final Vertx vertx;
    private final Duration ttl;
    private final String holder;
    private volatile long heldUntilNanos = System.nanoTime();
    private volatile boolean held;
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
            pool.preparedQuery(RELEASE).execute(Tuple.of(OUTBOX, holder)).await().atMost(Duration.ofSeconds(5));
            LOG.infof("Relay lease released by %s", holder);
        }
    }

    private void renew() {
        long sent = System.nanoTime();
        pool.preparedQuery(ACQUIRE).execute(Tuple.of(OUTBOX, holder, (double) ttl.toMillis() / 1000))
                .subscribe().with(rows -> {
                    boolean wasHeld = isHeld();
                    if (rows.rowCount() > 0) {
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
