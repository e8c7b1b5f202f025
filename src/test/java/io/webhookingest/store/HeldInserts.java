package io.webhookingest.store;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

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

    /**
     * Waits until this many of the writer's inserts in this database are blocked by {@code holder}'s lock: in flight,
     * with the next writes queued. Only those the holder blocks count, whatever else waits on the same server.
     */
    static void awaitWaiting(Pool pool, Connection holder, long inserts) throws SQLException {
        int holderPid;
        try (Statement statement = holder.createStatement();
             ResultSet pid = statement.executeQuery("select pg_backend_pid()")) {
            pid.next();
            holderPid = pid.getInt(1);
        }
        // The statement's text is longer than pg_stat_activity keeps; it starts with its events' CTE.
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.preparedQuery("""
                select count(*) from pg_stat_activity
                where datname = current_database() and query like 'with e as (%'
                  and $1 = any(pg_blocking_pids(pid))""").execute(Tuple.of(holderPid))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0) == inserts);
    }
}
