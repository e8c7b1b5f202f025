package io.webhookingest.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.vertx.mutiny.sqlclient.Pool;

/** Moves the relay lease of the application under test, so that a test controls when it publishes. */
public final class RelayLeases {

    private RelayLeases() {
    }

    /** Once the application publishes, gives its lease to another instance for an hour, and waits until it stops. */
    public static void holdElsewhere(Pool pool) {
        await().atMost(Duration.ofSeconds(20)).until(() -> publishing(true));
        pool.query("update relay_lease set holder = 'another-instance', expires_at = now() + interval '1 hour'")
                .execute().await().atMost(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(20)).until(() -> publishing(false));
    }

    /** Frees the lease, so that the application takes it again. */
    public static void giveBack(Pool pool) {
        pool.query("delete from relay_lease").execute().await().atMost(Duration.ofSeconds(10));
    }

    private static boolean publishing(boolean expected) {
        return Management.given().get("/q/health/ready").then().extract()
                .path("checks.find { it.name == 'outbox' }.data.publishing").equals(expected);
    }
}
