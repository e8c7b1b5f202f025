package io.webhookingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.webhookingest.testing.TestDatabase;

/** Migrations run on a database that already holds data of the version before them, and keep that data. */
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
    void contentKeyArrivesOnAV6DatabaseWithEventsAndDeduplicatesNewOnes() throws SQLException {
        flyway("6").migrate();
        UUID published = UUID.randomUUID();
        UUID pending = UUID.randomUUID();
        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            insertV6(connection, published, "delivery-1");
            insertV6(connection, pending, "delivery-2");
            sql.execute("insert into event_outbox (id) values ('" + pending + "')");
        }

        flyway("latest").migrate();

        try (Connection connection = database.connect(); Statement sql = connection.createStatement()) {
            try (ResultSet rows = sql.executeQuery("select count(*), count(content_key) from event")) {
                rows.next();
                assertEquals(2, rows.getInt(1), "the events are kept");
                assertEquals(0, rows.getInt(2), "existing events have no content key");
            }
            try (ResultSet queued = sql.executeQuery("select id from event_outbox")) {
                queued.next();
                assertEquals(pending, queued.getObject(1, UUID.class), "the queue is kept");
            }
            sql.execute("insert into event (id, source, identity, type, subject, status, topic, received_at, body,"
                    + " headers, content_key) values (gen_random_uuid(), 'github', 'delivery-3', 'push', 's',"
                    + " 'published', 't', now(), '\\x7b7d', '{}', '\\x01')");
            assertThrows(SQLException.class, () -> sql.execute("insert into event (id, source, identity, type,"
                    + " subject, status, topic, received_at, body, headers, content_key) values (gen_random_uuid(),"
                    + " 'github', 'delivery-4', 'push', 's', 'published', 't', now(), '\\x7b7d', '{}', '\\x01')"),
                    "a second event with the same content key is refused");
        }
    }

    private static void insertV6(Connection connection, UUID id, String identity) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("insert into event (id, source, identity, type,"
                + " subject, status, topic, received_at, body, headers) values (?, 'github', ?, 'push', 'octo/repo',"
                + " 'published', 'webhooks.github', now(), ?, '{}')")) {
            insert.setObject(1, id);
            insert.setString(2, identity);
            insert.setBytes(3, "{}".getBytes());
            insert.executeUpdate();
        }
    }
}
