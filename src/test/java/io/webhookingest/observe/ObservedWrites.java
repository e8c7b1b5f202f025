package io.webhookingest.observe;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Lets tests outside this package write the rejection log and the rollup now, rather than wait for their periodic
 * writes (which the test profile spaces an hour apart).
 */
@ApplicationScoped
public class ObservedWrites {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final RejectionLog log;
    private final DeliveryRollup rollup;
    private final Pool pool;

    ObservedWrites(RejectionLog log, DeliveryRollup rollup, Pool pool) {
        this.log = log;
        this.rollup = rollup;
        this.pool = pool;
    }

    /** Writes the rejection log until it holds an entry of this source with this reason. */
    public void writeRejectionsUntilLogged(String source, String reason) {
        await().atMost(WAIT).until(() -> {
            log.write().await().atMost(WAIT);
            return pool.preparedQuery("select 1 from rejection where source = $1 and reason = $2")
                    .execute(Tuple.of(source, reason)).await().atMost(WAIT).rowCount() > 0;
        });
    }

    public void writeRollup() {
        rollup.write().await().atMost(WAIT);
    }
}
