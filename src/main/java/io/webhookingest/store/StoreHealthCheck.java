package io.webhookingest.store;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Readiness follows the database: an instance that cannot store events must not be sent deliveries. The probe says
 * only UP or DOWN; why the database is unreachable goes to the log (once per outage), never to whoever can reach the
 * probe, since driver messages name hosts, users and databases.
 */
@Readiness
@ApplicationScoped
public class StoreHealthCheck implements AsyncHealthCheck {

    static final String NAME = "database";
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private static final Logger LOG = Logger.getLogger(StoreHealthCheck.class);

    private final Pool pool;
    private volatile boolean down;

    StoreHealthCheck(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.query("select 1").execute()
                .ifNoItem().after(TIMEOUT).fail()
                .map(rows -> {
                    if (down) {
                        LOG.info("The database answers again");
                        down = false;
                    }
                    return HealthCheckResponse.up(NAME);
                })
                .onFailure().recoverWithItem(failure -> {
                    if (!down) {
                        LOG.warnf("The database does not answer, readiness is DOWN: %s", failure.toString());
                        down = true;
                    }
                    return HealthCheckResponse.named(NAME).down().build();
                });
    }
}
