package io.webhookingest.store;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import io.webhookingest.config.IngestConfig;

/**
 * Builds the service's two Postgres pools from the datasource's configuration, so that each statement is parsed and
 * planned once per connection rather than once per execution.
 * <ul>
 * <li>The client caches prepared statements only up to a length of SQL, 2,048 characters by default: the group
 * commit's insert is longer, and was parsed, analysed and planned for every batch. Both pools cache statements up to
 * {@value #STATEMENT_CACHE_SQL_LIMIT} characters.</li>
 * <li>Postgres plans a cached statement anew for each execution's parameters for as long as it estimates that plan
 * cheaper than the generic one ({@code plan_cache_mode=auto}), which it does for the insert. The statements of the
 * delivery and relay path are written to reach their rows through indexes under a generic plan (the plan tests hold
 * them to it), so their own pool, {@link HotPath}, takes the generic plan at once. The other statements (the admin
 * API, the console, maintenance) stay on the shared pool, where Postgres keeps choosing: a filter on a partial
 * index's status, or a page size, is planned better for its value.</li>
 * </ul>
 */
@ApplicationScoped
public class StorePools implements PgPoolCreator {

    static final int STATEMENT_CACHE_SQL_LIMIT = 16 * 1024;

    private final int hotPathConnections;
    private volatile Pool hotPath;

    StorePools(IngestConfig config) {
        // Each concurrent insert holds a connection; the relay holds one at a time, and a spare covers a round's
        // second statement.
        this.hotPathConnections = config.store().concurrentBatches() + 2;
    }

    @Override
    public Pool create(Input input) {
        List<SqlConnectOptions> shared = new ArrayList<>();
        List<SqlConnectOptions> generic = new ArrayList<>();
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            options.setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT);
            shared.add(options);
            generic.add(new PgConnectOptions(options).addProperty("plan_cache_mode", "force_generic_plan"));
        }
        hotPath = PgBuilder.pool().with(new PoolOptions(input.poolOptions()).setMaxSize(hotPathConnections))
                .connectingTo(generic).using(input.vertx()).build();
        return PgBuilder.pool().with(input.poolOptions()).connectingTo(shared).using(input.vertx()).build();
    }

    /** The hot path's pool, built with the shared one, which Quarkus builds when it is first needed. */
    @Produces
    @Singleton
    @HotPath
    io.vertx.mutiny.sqlclient.Pool hotPath(io.vertx.mutiny.sqlclient.Pool shared) {
        if (hotPath == null) {
            throw new IllegalStateException("The shared pool was built without " + getClass().getSimpleName());
        }
        return io.vertx.mutiny.sqlclient.Pool.newInstance(hotPath);
    }

    void close(@Disposes @HotPath io.vertx.mutiny.sqlclient.Pool pool) {
        pool.closeAndAwait();
    }
}
