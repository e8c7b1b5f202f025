package io.webhookingest.store;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.vertx.mutiny.sqlclient.Pool;

/** Holds the writer's inserts on a lock, so that a test decides what is in flight and what queues behind it. */
final class HeldInserts {

    private HeldInserts() {
    }

    /** A transaction that keeps every insert of a deduplication key waiting until it ends. */
    static Connection hold() throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("lock table event_key in share mode");
        }
        return connection;
    }

    /** Waits until this many of the writer's inserts are blocked on a lock: in flight, with the next writes queued. */
    static void awaitWaiting(Pool pool, long inserts) {
        // The statement's text is longer than pg_stat_activity keeps; it starts with its events' CTE.
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.query("""
                select count(*) from pg_stat_activity
                where wait_event_type = 'Lock' and query like 'with e as (%'""").execute()
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0) == inserts);
    }
}
