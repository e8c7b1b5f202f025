package io.webhookingest.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import io.webhookingest.testing.TestDatabase;

/**
 * What the stored data takes on disk, tables and their indexes, every partition included: the events (and, of them,
 * those kept past their partition), the deduplication keys and the outbox queue. Flat over a long run once retention
 * engages, or the storage grows without bound.
 */
record StorageSizes(long eventBytes, long keptBytes, long keyBytes, long outboxBytes, int eventPartitions,
        int keyGenerations) {

    static StorageSizes of(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect(); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("""
                     select (select sum(pg_total_relation_size(relid))::bigint from pg_partition_tree('event')),
                            pg_total_relation_size('event_kept'),
                            (select sum(pg_total_relation_size(relid))::bigint from pg_partition_tree('event_key')),
                            pg_total_relation_size('event_outbox'),
                            (select count(*) from pg_partition_tree('event') where isleaf),
                            (select count(*) from event_key_generation)""")) {
            row.next();
            return new StorageSizes(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4), row.getInt(5),
                    row.getInt(6));
        }
    }

    String describe() {
        return String.format(Locale.ROOT, "events %s in %d partitions (kept %s), keys %s in %d generations, outbox %s",
                mb(eventBytes), eventPartitions, mb(keptBytes), mb(keyBytes), keyGenerations, mb(outboxBytes));
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }
}
