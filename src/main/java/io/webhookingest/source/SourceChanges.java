package io.webhookingest.source;

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
 * them as soon as another instance commits a change, and a periodic full reload (which also re-establishes a lost
 * listening connection) is the safety net. Reloads never overlap; a change heard during one runs another after it.
 */
@ApplicationScoped
public class SourceChanges {

    private static final Logger LOG = Logger.getLogger(SourceChanges.class);

    private final SourceRegistry registry;
    private final SourceStore store;
    private final Vertx vertx;
    private final long intervalMillis;
    private volatile SqlConnection listening;
    private boolean connecting;
    private boolean reloading;
    private boolean again;
    private long timer = -1;

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
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        SqlConnection connection = listening;
        if (connection != null) {
            connection.closeAndForget();
        }
    }

    /** True while this instance hears of changes as they are committed. */
    public boolean isListening() {
        return listening != null;
    }

    private synchronized void listen() {
        if (listening != null || connecting) {
            return;
        }
        connecting = true;
        store.pool().getConnection().subscribe().with(connection -> {
            PgConnection pg = PgConnection.cast(connection.getDelegate());
            pg.notificationHandler(notification -> reload());
            pg.closeHandler(closed -> {
                listening = null;
                LOG.debug("The connection listening for source changes closed; reconnecting on the next reload");
            });
            connection.query("listen " + SourceStore.CHANNEL).execute().subscribe().with(done -> {
                synchronized (this) {
                    listening = connection;
                    connecting = false;
                }
                reload();
            }, failure -> {
                synchronized (this) {
                    connecting = false;
                }
                connection.closeAndForget();
            });
        }, failure -> {
            synchronized (this) {
                connecting = false;
            }
            LOG.debugf("Cannot listen for source changes yet (%s)", failure.toString());
        });
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
            LOG.debugf("Reloading the managed sources failed (%s); retrying", failure.toString());
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
