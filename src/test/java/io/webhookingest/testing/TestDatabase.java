package io.webhookingest.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh Postgres database on the local server for one test class that runs the application as a separate process,
 * dropped afterwards. Each such test starts from an empty schema without touching the shared {@code test} database.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String HOST = "127.0.0.1:5432";
    private static final String ADMIN_URL = "jdbc:postgresql://" + HOST + "/postgres";
    private static final String USER = "postgres";

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    public static TestDatabase create() {
        String name = "webhook_ingest_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        execute("create database " + name);
        return new TestDatabase(name);
    }

    /** The reactive client URL the application is configured with. */
    public String reactiveUrl() {
        return "postgresql://" + HOST + "/" + name;
    }

    /** A JDBC connection for the test's own checks. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + "/" + name, USER, "");
    }

    @Override
    public void close() {
        execute("drop database if exists " + name + " with (force)");
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
