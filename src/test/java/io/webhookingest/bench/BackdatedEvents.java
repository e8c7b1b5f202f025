package io.webhookingest.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.webhookingest.store.EventIds;
import io.webhookingest.testing.TestDatabase;

/**
 * Events stored straight into the database as if the service had received them earlier, each with its deduplication
 * key, in the daily partitions their ids belong to (created here as the service creates them ahead): the history a
 * service that ran for a while has, made in seconds rather than days.
 */
final class BackdatedEvents {

    /** One event in this many of an aged backlog was refused by the broker, and as many were quarantined. */
    static final int KEPT_EVERY = 1000;

    private static final DateTimeFormatter DAY_NAME = DateTimeFormatter.ofPattern("yyyyMMdd");

    /**
     * Rows of {@code backdated}: ids made as {@code EventIds} makes them (48 bits of milliseconds, version 7, random
     * bits, here from a digest), the statuses a history holds, keys in the generation current now.
     */
    private static final String INSERT = """
            with backdated as (
                select g, (? + g * ?::double precision)::bigint as millis,
                       case when ? and g % ? = 0 then 'failed'
                            when ? and g % ? = 1 then 'quarantined' else 'published' end as status
                from generate_series(1, ?) as g
            ), stored as (
                insert into event (id, source, identity, type, subject, status, topic, received_at, body, headers,
                                   reason)
                select (lpad(to_hex(millis), 12, '0') || '7' || lpad(to_hex(g % 4096), 3, '0') || '8'
                            || substr(md5(? || g), 1, 15))::uuid,
                       (array['hubject','stripe','github','standard-webhooks'])[g % 4 + 1], ? || g,
                       case when status = 'quarantined' then null else 'backdated' end,
                       case when status = 'quarantined' then null else 'subject-' || (g % 1000) end,
                       status, ?, to_timestamp(millis / 1000.0),
                       convert_to(repeat('{"backdated":' || g || '}', 6), 'UTF8'),
                       '{"content-type":["application/json"]}'::json,
                       case status when 'failed' then 'RecordTooLargeException: backdated'
                                   when 'quarantined' then 'No event identity at /eventId' end
                from backdated
                returning id, source, identity
            )
            insert into event_key (gen, source, kind, key, event_id)
            select (select gen from event_key_generation where starts_at <= now() order by gen desc limit 1),
                   source, 1, identity, id from stored""";

    /** What an aged backlog holds: its events, and those of them retention must keep (failed, quarantined). */
    record Aged(long events, long kept, Instant newest) {
    }

    private BackdatedEvents() {
    }

    /** Stores {@code rows} published events received two days ago, a millisecond apart. */
    static void prefill(TestDatabase database, long rows, String topic) throws SQLException {
        Instant first = Instant.now().minus(Duration.ofDays(2));
        store(database, "prefill-", first, Duration.ofMillis(1), rows, false, topic);
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("vacuum analyze event");
            // Writes the prefill's pages out now, not during the phase that follows.
            statement.execute("checkpoint");
        }
    }

    /**
     * Stores {@code rows} events received over three days, {@code age} ago and earlier, one in {@link #KEPT_EVERY}
     * failed and as many quarantined, the rest published: a backlog past a retention shorter than {@code age}.
     */
    static Aged age(TestDatabase database, long rows, Duration age, String topic) throws SQLException {
        Instant newest = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant().minus(age);
        Instant first = newest.minus(Duration.ofDays(3));
        store(database, "aged-", first, Duration.ofDays(3).dividedBy(rows + 1), rows, true, topic);
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute("checkpoint");
        }
        return new Aged(rows, storedBefore(database, newest, true), newest);
    }

    /** How many events received before {@code instant} are stored; {@code keptOnly}: failed and quarantined ones. */
    static long storedBefore(TestDatabase database, Instant instant, boolean keptOnly) throws SQLException {
        try (Connection connection = database.connect();
             PreparedStatement count = connection.prepareStatement("select count(*) from event where id < ?::uuid"
                     + (keptOnly ? " and status in ('failed', 'quarantined')" : ""))) {
            count.setString(1, EventIds.lowerBound(instant).toString());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static void store(TestDatabase database, String prefix, Instant first, Duration step, long rows,
            boolean withKept, String topic) throws SQLException {
        Instant last = first.plus(step.multipliedBy(rows + 1));
        try (Connection connection = database.connect()) {
            for (LocalDate day = LocalDate.ofInstant(first, ZoneOffset.UTC);
                    !day.isAfter(LocalDate.ofInstant(last, ZoneOffset.UTC)); day = day.plusDays(1)) {
                createPartition(connection, day);
            }
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                double stepMillis = step.toNanos() / 1e6;
                insert.setLong(1, first.toEpochMilli());
                insert.setDouble(2, stepMillis);
                insert.setBoolean(3, withKept);
                insert.setInt(4, KEPT_EVERY);
                insert.setBoolean(5, withKept);
                insert.setInt(6, KEPT_EVERY);
                insert.setLong(7, rows);
                insert.setString(8, prefix);
                insert.setString(9, prefix);
                insert.setString(10, topic);
                insert.executeUpdate();
            }
        }
    }

    /** The day's partitions of events and of their history, as the service names and bounds them. */
    private static void createPartition(Connection connection, LocalDate day) throws SQLException {
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        try (Statement statement = connection.createStatement()) {
            String bounds = " for values from ('" + EventIds.lowerBound(start) + "') to ('"
                    + EventIds.lowerBound(start.plus(Duration.ofDays(1))) + "')";
            statement.execute("create table if not exists event_p" + DAY_NAME.format(day) + " partition of event"
                    + bounds);
            statement.execute("create table if not exists event_activity_p" + DAY_NAME.format(day)
                    + " partition of event_activity" + bounds);
        }
    }
}
