package io.webhookingest.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import io.webhookingest.testing.TestDatabase;

/**
 * What the database spends, read from Postgres itself: the write-ahead log written and the transactions committed
 * (for this database) since a starting point, and what the stored events take on disk, tables and indexes included.
 * The sizing figures of the README come from these.
 */
record DatabaseCost(long walBytes, long commits, long diskBytes, long events) {

    static DatabaseCost of(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect(); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("""
                     select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint,
                            (select xact_commit from pg_stat_database where datname = current_database()),
                            (select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint from pg_class c
                             where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'm')),
                            (select count(*) from event)""")) {
            row.next();
            return new DatabaseCost(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4));
        }
    }

    /** WAL and commits between two readings; disk and events as of the later one. */
    DatabaseCost since(DatabaseCost earlier) {
        return new DatabaseCost(walBytes - earlier.walBytes, commits - earlier.commits, diskBytes, events);
    }

    String describe(long accepted, double seconds) {
        return String.format(Locale.ROOT, "%.0f commits/s, %.0f bytes of WAL per accepted event, %.0f MB on disk per"
                + " million stored events (%d stored, tables and indexes)", commits / seconds,
                (double) walBytes / Math.max(1, accepted), diskBytes / 1e6 / Math.max(1, events) * 1e6, events);
    }
}
