package io.webhookingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.webhookingest.testing.TestDatabase;

/** Migrations run on a database that already holds data of the versions before them, and keep that data. */
class SchemaMigrationTest {

    TestDatabase database;

    @BeforeEach
    void create() {
        database = TestDatabase.create();
    }

    @AfterEach
    void drop() {
        database.close();
    }

    Flyway flyway(String target) {
        return Flyway.configure().dataSource("jdbc:" + database.reactiveUrl(), "postgres", "")
                .locations("classpath:db/migration").target(target).load();
    }

    @Test
    void eventsQueueKeysAndNoncesOfV6AndV7CarryOverIntoPartitionedStorage() throws SQLException {
        flyway("6").migrate();
        EventIds ids = new EventIds(Clock.systemUTC());
        UUID published = ids.next();
        UUID pending = ids.next();
        UUID quarantined = ids.next();
        UUID failed = ids.next();
        UUID otherPending = ids.next();
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            insert(connection, published, "delivery-1", "published");
            insert(connection, pending, "delivery-2", "published");
            insert(connection, quarantined, "quarantined|sha256:ab", "quarantined");
            insert(connection, failed, "delivery-3", "failed");
            insert(connection, otherPending, "delivery-4", "published");
            sql.execute("insert into event_outbox (id) values ('" + otherPending + "'), ('" + pending + "')");
            sql.execute("insert into seen_nonce (source, nonce, expires_at) values ('xpanse', 'live', now()"
                    + " + interval '1 minute'), ('xpanse', 'expired', now() - interval '1 minute')");
        }
        flyway("7").migrate();
        UUID withContentKey = ids.next();
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            insert(connection, withContentKey, "delivery-5", "published");
            sql.execute("update event set content_key = '\\x0102' where id = '" + withContentKey + "'");
        }

        flyway("latest").migrate();

        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            assertEquals(List.of(published + " published event_history", pending + " published event_history",
                    quarantined + " quarantined event_history", failed + " failed event_history",
                    otherPending + " published event_history", withContentKey + " published event_history"),
                    strings(sql, "select id || ' ' || status || ' ' || tableoid::regclass from event order by id"),
                    "every event is kept, in the partition the table became");
            Instant tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            assertEquals(List.of("'" + EventIds.lowerBound(tomorrow) + "'"), strings(sql, """
                    select substring(pg_get_expr(relpartbound, oid) from 'TO \\((.*)\\)') from pg_class
                    where relname = 'event_history'"""), "it ends with today, and expires once today does");
            assertEquals(List.of(pending.toString(), otherPending.toString()),
                    strings(sql, "select event_id from event_outbox order by seq"),
                    "the queue keeps its entries, in the order of their events");
            assertEquals(List.of("1 delivery-1", "1 delivery-2", "1 delivery-3", "1 delivery-4", "1 delivery-5",
                    "1 quarantined|sha256:ab", "2 0102", "3 live"),
                    strings(sql, "select kind || ' ' || key from event_key where gen = 0 order by kind, key"),
                    "identities, the content key and the live nonce become keys; the expired nonce goes");
            assertThrows(SQLException.class, () -> sql.execute("insert into event_key (gen, source, kind, key)"
                    + " values (0, 'github', 1, 'delivery-1')"), "an identity is still unique");
            sql.execute("insert into event_outbox (event_id, size) values ('" + published + "', 2)");
            assertEquals(List.of(pending.toString(), otherPending.toString(), published.toString()),
                    strings(sql, "select event_id from event_outbox order by seq"), "new entries queue behind");
            assertEquals(List.of("0"), strings(sql, "select token from relay_lease union all select 0 limit 1"));
        }
    }

    @Test
    void managedSourcesArriveBesideTheEventsOfV8() throws SQLException {
        flyway("8").migrate();
        UUID id = new EventIds(Clock.systemUTC()).next();
        try (Connection connection = database.connect()) {
            insert(connection, id, "delivery-1", "published");
        }

        flyway("latest").migrate();

        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            assertEquals(List.of(id + " published"), strings(sql, "select id || ' ' || status from event"),
                    "the events stay as they were");
            sql.execute("insert into source (name, settings) values ('github', '{\"provider\": \"github\"}')");
            assertEquals(List.of("github {\"provider\": \"github\"} true"),
                    strings(sql, "select name || ' ' || settings || ' ' || enabled from source"),
                    "a source is stored with its settings, enabled");
            sql.execute("insert into source_secret (source, fingerprint, key_id, sealed)"
                    + " values ('github', '0a1b2c3d', 'feedbeef', '\\x00')");
            assertThrows(SQLException.class, () -> sql.execute("insert into source_secret (source, fingerprint,"
                    + " key_id, sealed) values ('stripe', '0a1b2c3d', 'feedbeef', '\\x00')"),
                    "a secret belongs to a source");
            sql.execute("delete from source where name = 'github'");
            assertEquals(List.of(), strings(sql, "select fingerprint from source_secret"),
                    "a source's secrets go with it");
            assertEquals(List.of(id.toString()), strings(sql, "select id from event where source = 'github'"),
                    "its events stay");
        }
    }

    @Test
    void aSourceCreatedAgainAfterV9GetsARevisionNoEarlierSourceHad() throws SQLException {
        flyway("9").migrate();
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            sql.execute("insert into source (name, settings) values ('github', '{\"provider\": \"github\"}'),"
                    + " ('stripe', '{\"provider\": \"stripe\"}')");
            sql.execute("update source set revision = 7 where name = 'stripe'");
            sql.execute("insert into source_secret (source, fingerprint, key_id, sealed)"
                    + " values ('stripe', '0a1b2c3d', 'feedbeef', '\\x00')");
        }

        flyway("latest").migrate();

        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            assertEquals(List.of("github 1", "stripe 7 0a1b2c3d"), strings(sql, "select s.name || ' ' || s.revision"
                    + " || coalesce(' ' || k.fingerprint, '') from source s left join source_secret k on k.source ="
                    + " s.name order by s.name"), "the sources of V9 keep their revisions and secrets");
            sql.execute("delete from source where name = 'stripe'");
            sql.execute("insert into source (name, settings) values ('stripe', '{\"provider\": \"stripe\"}')");
            assertEquals(List.of("8"), strings(sql, "select revision from source where name = 'stripe'"),
                    "the new source's revision is above every earlier one");
        }
    }

    @Test
    void theRejectionLogArrivesBesideTheSourcesOfV10() throws SQLException {
        flyway("10").migrate();
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            sql.execute("insert into source (name, settings) values ('github', '{\"provider\": \"github\"}')");
        }

        flyway("latest").migrate();

        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            assertEquals(List.of("github"), strings(sql, "select name from source"), "the sources stay");
            sql.execute("insert into rejection (received_at, source, status, reason, detail, header_names) values"
                    + " (now(), 'github', 401, 'signature_mismatch', 'does not match', 'X-Hub-Signature-256'),"
                    + " (now(), 'nosuch', 404, 'unknown_source', 'No webhook source', '')");
            assertEquals(List.of("nosuch 404", "github 401"), strings(sql, "select source || ' ' || status from"
                    + " rejection order by id desc"), "ids follow insertion, newest first");
        }
    }

    @Test
    void theDeliveryRollupArrivesBesideTheRejectionsOfV11() throws SQLException {
        flyway("11").migrate();
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            sql.execute("insert into rejection (received_at, source, status, reason, detail, header_names) values"
                    + " (now(), 'github', 401, 'signature_mismatch', 'does not match', 'X-Hub-Signature-256')");
        }

        flyway("latest").migrate();

        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            assertEquals(List.of("github 401"), strings(sql, "select source || ' ' || status from rejection"),
                    "the rejections stay");
            String add = "insert into delivery_rollup (source, minute, outcome, reason, deliveries) values ('github',"
                    + " '2026-12-01T10:00:00Z', 'accepted', 'none', 2) on conflict (source, minute, outcome, reason)"
                    + " do update set deliveries = delivery_rollup.deliveries + excluded.deliveries";
            sql.execute(add);
            sql.execute(add);
            assertEquals(List.of("4"), strings(sql, "select deliveries from delivery_rollup"),
                    "instances add to one row per source, minute and outcome");
        }
    }

    @Test
    void consoleSessionsAndEventLookupsArriveBesideTheRollupOfV12() throws SQLException {
        flyway("12").migrate();
        UUID id = new EventIds(Clock.systemUTC()).next();
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            insert(connection, id, "delivery-1", "published");
            sql.execute("insert into delivery_rollup (source, minute, outcome, reason, deliveries) values ('github',"
                    + " '2026-12-01T10:00:00Z', 'accepted', 'none', 2)");
        }

        flyway("latest").migrate();

        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            assertEquals(List.of("2"), strings(sql, "select deliveries from delivery_rollup"), "the rollup stays");
            assertEquals(List.of(id.toString()), strings(sql, "select id from event where source = 'github'"
                    + " and subject = 'octo/repo'"), "the events stay, found by source and subject");
            sql.execute("insert into console_session (cookie_sha256, csrf, token_fingerprint, expires_at) values"
                    + " ('ab', 'cd', 'ef', now() + interval '8 hours')");
            assertThrows(SQLException.class, () -> sql.execute("insert into console_session (cookie_sha256, csrf,"
                    + " token_fingerprint, expires_at) values ('ab', 'xx', 'ef', now())"), "one row per cookie");
            assertEquals(List.of("event_by_source", "event_by_source_type", "event_by_subject"), strings(sql,
                    "select indexname from"
                    + " pg_indexes where tablename = 'event' and indexname like 'event_by_%' order by 1"));
        }
    }

    @Test
    void eachEventPartitionOfV14GetsAPartitionForItsEventsHistory() throws SQLException {
        flyway("14").migrate();
        Instant today = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        UUID id = new EventIds(Clock.systemUTC()).next();
        String day = "p" + LocalDate.now(ZoneOffset.UTC).toString().replace("-", "");
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            sql.execute("create table event_" + day + " partition of event for values from ('"
                    + EventIds.lowerBound(today) + "') to ('" + EventIds.lowerBound(today.plusSeconds(86_400)) + "')");
            // As V8 names the events stored before the partitioned storage.
            sql.execute("create table event_history partition of event for values from ('"
                    + EventIds.lowerBound(today.minusSeconds(7 * 86_400)) + "') to ('" + EventIds.lowerBound(today)
                    + "')");
            insert(connection, id, "delivery-1", "published");
            sql.execute("insert into event_outbox (event_id, size) values ('" + id + "', 2)");
        }

        flyway("latest").migrate();

        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            assertEquals(strings(sql, "select pg_get_expr(relpartbound, oid) from pg_class where relname = 'event_"
                    + day + "'"), strings(sql, "select pg_get_expr(relpartbound, oid) from pg_class where relname ="
                    + " 'event_activity_" + day + "'"), "the history's partition has its events' range");
            assertEquals(strings(sql, "select pg_get_expr(relpartbound, oid) from pg_class where relname ="
                    + " 'event_history'"), strings(sql, "select pg_get_expr(relpartbound, oid) from pg_class where"
                    + " relname = 'event_activity_history'"), "and so has the one of the events from before V8");
            assertEquals(List.of("event_activity_kept"), strings(sql, "select c.relname from pg_inherits i join"
                    + " pg_class c on c.oid = i.inhrelid where i.inhparent = 'event_activity'::regclass and"
                    + " pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'"), "event_kept's counterpart");
            assertEquals(List.of(id + "|null"), strings(sql, "select event_id || '|' || coalesce(replayed_at::text,"
                    + " 'null') from event_outbox"), "the queue stays, as first publications");
            sql.execute("insert into event_activity (event_id, at, action) values ('" + id + "', now(),"
                    + " 'published')");
            assertEquals(List.of("1"), strings(sql, "select count(*) from event_activity_" + day));
            assertThrows(SQLException.class, () -> sql.execute("insert into event_activity (event_id, at, action)"
                    + " values ('" + id + "', now(), 'lost')"), "only the actions the service writes");
        }
    }

    private static List<String> strings(Statement sql, String query) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static void insert(Connection connection, UUID id, String identity, String status) throws SQLException {
        boolean quarantined = status.equals("quarantined");
        try (PreparedStatement insert = connection.prepareStatement("insert into event (id, source, identity, type,"
                + " subject, status, topic, received_at, body, headers) values (?, 'github', ?, ?, ?, ?,"
                + " 'webhooks.github', now(), ?, '{}')")) {
            insert.setObject(1, id);
            insert.setString(2, identity);
            insert.setString(3, quarantined ? null : "push");
            insert.setString(4, quarantined ? null : "octo/repo");
            insert.setString(5, status);
            insert.setBytes(6, "{}".getBytes());
            insert.executeUpdate();
        }
    }
}
