package io.webhookingest.relay;

import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * Wakes the publishing instance when another instance commits events, through Postgres {@code LISTEN/NOTIFY}, so
 * that events are published right after commit whichever instance took them. The poll interval only covers a lost
 * notification.
 */
@ApplicationScoped
public class OutboxSignal {

    static final String CHANNEL = "webhook_ingest_outbox";

    private static final Logger LOG = Logger.getLogger(OutboxSignal.class);

    private final Pool pool;
    private final PgSubscriber subscriber;

    OutboxSignal(Pool pool, Vertx vertx, @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.pool = pool;
        PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""));
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        this.subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
    }

    /** Listens for other instances' commits; {@code wake} runs on each notification. */
    void listen(Runnable wake) {
        subscriber.channel(CHANNEL).handler(payload -> wake.run());
        subscriber.connect().onFailure(failure -> LOG.warnf(
                "Cannot listen for commits of other instances (%s); relying on the poll interval", failure.getMessage()));
    }

    /** Tells the publishing instance that events were committed here. */
    void notifyPublisher() {
        pool.query("notify " + CHANNEL).execute().subscribe().with(
                ignored -> { },
                failure -> LOG.debugf("Could not notify the publishing instance: %s", failure.getMessage()));
    }

    @PreDestroy
    void close() {
        subscriber.close();
    }
}
