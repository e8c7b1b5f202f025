package io.webhookingest.source;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgConnection;
import io.webhookingest.config.IngestConfig;

/**
 * Keeps this instance's managed sources current: a connection that LISTENs to {@link SourceStore#CHANNEL} reloads
 * them as soon as another instance commits a change, and a periodic full reload is the safety net. A lost listening
 * connection is replaced after a second, and a reload follows, which catches up on what it missed. Reloads never
 * overlap; a change heard during one runs another after it.
 */
@ApplicationScoped
public class SourceChanges {

    private static final Logger LOG = Logger.getLogger(SourceChanges.class);
    private static final long RECONNECT_DELAY_MILLIS = 1_000;
    private static final long WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final SourceRegistry registry;
    private final SourceStore store;
    private final Vertx vertx;
    private final long intervalMillis;
    private volatile SqlConnection listening;
    private boolean connecting;
    private boolean reloading;
    private boolean again;
    private long timer = -1;
    private boolean stopped;
    private volatile long lastWarning;

    SourceChanges(SourceRegistry registry, SourceStore store, Vertx vertx, IngestConfig config) {
        this.registry = registry;
        this.store = store;
        this.vertx = vertx;
        this.intervalMillis = Math.max(1, config.sourceReloadInterval().toMillis());
    }

    void start(@Observes StartupEvent started) {
        registry.loadAtStartup();
        listen();
        timer = vertx.setPeriodic(intervalMillis, id -> {
            listen();
            reload();
        });
    }

    void stop(@Observes ShutdownEvent stopping) {
        synchronized (this) {
            stopped = true;
        }
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        SqlConnection connection = listening;
        if (connection != null) {
            connection.closeAndForget();
        }
    }

    private void listen() {
        synchronized (this) {
            if (stopped || listening != null || connecting) {
                return;
            }
            connecting = true;
        }
        store.pool().getConnection().subscribe().with(connection -> {
            try {
                PgConnection pg = PgConnection.cast(connection.getDelegate());
                pg.notificationHandler(notification -> reload());
                pg.closeHandler(closed -> lost());
                connection.query("listen " + SourceStore.CHANNEL).execute().subscribe().with(done -> {
                    synchronized (this) {
                        listening = connection;
                        connecting = false;
                    }
                    reload();
                }, failure -> {
                    LOG.debugf("Cannot listen for source changes yet (%s)", failure.toString());
                    connection.closeAndForget();
                    lost();
                });
            } catch (RuntimeException e) {
                LOG.warnf("Cannot listen for source changes (%s); retrying", e.toString());
                connection.closeAndForget();
                lost();
            }
        }, failure -> {
            LOG.debugf("Cannot listen for source changes yet (%s)", failure.toString());
            lost();
        });
    }

    /** Tries again after a second, rather than at the next periodic reload. */
    private void lost() {
        synchronized (this) {
            connecting = false;
            listening = null;
            if (stopped) {
                return;
            }
        }
        vertx.setTimer(RECONNECT_DELAY_MILLIS, id -> listen());
    }

    private void reload() {
        synchronized (this) {
            if (reloading) {
                again = true;
                return;
            }
            reloading = true;
            again = false;
        }
        registry.reload().subscribe().with(done -> reloaded(), failure -> {
            long now = System.nanoTime();
            if (now - lastWarning >= WARNING_INTERVAL_NANOS || lastWarning == 0) {
                lastWarning = now;
                LOG.warnf("Reloading the managed sources failed (%s); this instance keeps the sources it holds and"
                        + " retries at the next change or every %d ms", failure.toString(), intervalMillis);
            }
            reloaded();
        });
    }

    private void reloaded() {
        boolean rerun;
        synchronized (this) {
            reloading = false;
            rerun = again;
        }
        if (rerun) {
            reload();
        }
    }
}
