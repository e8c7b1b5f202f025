package io.webhookingest.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.webhookingest.store.EventIds;

/**
 * A JUnit extension ({@code @RegisterExtension static final GenericPlans PLANS = new GenericPlans()}) that gives the
 * test class a database of the current schema holding {@value #ROWS} events (split over two daily partitions), as many
 * identity keys and as many queue entries, never analyzed: the planner knows nothing of their size. Statements are
 * planned as a cached generic plan (what a prepared statement keeps once the planner settles on one), and their
 * plans are read with {@code EXPLAIN EXECUTE}.
 */
public final class GenericPlans implements BeforeAllCallback, AfterAllCallback {

    public static final int ROWS = 100_000;
    /** Key generation 0 holds the keys; 1 is the current one. */
    public static final int PREVIOUS_GENERATION = 0;
    public static final int CURRENT_GENERATION = 1;
    /** Tables that grow with traffic: a sequential scan of any of them is a cost per stored event. */
    private static final Pattern SCAN_OF_GROWING_TABLE = Pattern.compile("Seq Scan on (event\\w*)");

    private TestDatabase database;
    private Connection connection;
    private Instant today;

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        database = TestDatabase.create();
        try {
            Flyway.configure().dataSource("jdbc:" + database.reactiveUrl(), "postgres", "")
                    .locations("classpath:db/migration").load().migrate();
            today = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant yesterday = today.minusSeconds(86_400);
            Instant tomorrow = today.plusSeconds(86_400);
            connection = database.connect();
            try (Statement sql = connection.createStatement()) {
                sql.execute(partition("event", "yesterday", yesterday, today));
                sql.execute(partition("event", "today", today, tomorrow));
                sql.execute(partition("event_activity", "yesterday", yesterday, today));
                sql.execute(partition("event_activity", "today", today, tomorrow));
                sql.execute("insert into event_key_generation (gen, starts_at, ends_at) values (" + CURRENT_GENERATION
                        + ", now(), now() + interval '30 days')");
                sql.execute("create table event_key_" + CURRENT_GENERATION + " partition of event_key for values in ("
                        + CURRENT_GENERATION + ")");
                sql.execute(fill(yesterday, tomorrow));
                sql.execute("insert into event_key (gen, source, kind, key, event_id) select " + PREVIOUS_GENERATION
                        + ", source, 1, identity, id from event");
                sql.execute("insert into event_outbox (event_id, size) select id, octet_length(body) from event"
                        + " order by id");
                sql.execute("insert into event_activity (event_id, at, action) select id, now(), 'published'"
                        + " from event");
                sql.execute("insert into relay_lease (name, holder, expires_at) values ('outbox', 'planner',"
                        + " now() + interval '1 minute')");
                sql.execute("set plan_cache_mode = force_generic_plan");
            }
            assertFalse(anyAnalyzed(), "the planner must not have statistics for the plans to test anything");
        } catch (SQLException | RuntimeException | AssertionError e) {
            afterAll(context);
            throw e;
        }
    }

    /** An id in today's partition, as a new delivery's. */
    public UUID newId() {
        return EventIds.lowerBound(today.plusSeconds(3_600));
    }

    /** A stored event's identity, source {@code hubject}: the key a redelivery meets. */
    public String storedIdentity() {
        return "delivery-42";
    }

    /**
     * The plan {@code sql} gets, prepared with its parameters' types inferred, under a generic plan for the given
     * arguments (SQL literals; they matter only for the partitions pruned when the plan starts).
     */
    public String plan(String sql, String... arguments) throws SQLException {
        return explain("explain", false, sql, arguments);
    }

    /**
     * What {@code sql} did, run once under its generic plan in a transaction that is rolled back:
     * {@code EXPLAIN ANALYZE}'s plan, each node with how often it ran.
     */
    public String run(String sql, String... arguments) throws SQLException {
        return explain("explain (analyze, costs off, timing off)", true, sql, arguments);
    }

    private String explain(String explain, boolean rolledBack, String sql, String... arguments) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("prepare hot as " + sql);
            connection.setAutoCommit(!rolledBack);
            try (ResultSet rows = statement.executeQuery(explain + " execute hot(" + String.join(", ", arguments)
                    + ")")) {
                StringBuilder plan = new StringBuilder();
                while (rows.next()) {
                    plan.append(rows.getString(1)).append('\n');
                }
                return plan.toString();
            } finally {
                if (rolledBack) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
                statement.execute("deallocate hot");
            }
        }
    }

    /** How many times, in all, {@code run}'s plan probed {@code table} through an index. */
    public static int probes(String plan, String table) {
        Matcher scan = Pattern.compile("Index (Only )?Scan( Backward)? using \\w+ on " + table
                + "\\b[^\\n]*\\(actual rows=\\d+ loops=(\\d+)\\)").matcher(plan);
        int probes = 0;
        while (scan.find()) {
            probes += Integer.parseInt(scan.group(3));
        }
        return probes;
    }

    /** The growing tables a plan reads sequentially. */
    public static List<String> sequentialScans(String plan) {
        List<String> tables = new ArrayList<>();
        Matcher scan = SCAN_OF_GROWING_TABLE.matcher(plan);
        while (scan.find()) {
            tables.add(scan.group(1));
        }
        return tables;
    }

    /**
     * Fails unless the plan reads {@code table} through one of its indexes (a bitmap heap scan is driven by one) with
     * an equality on each of the given columns in the index condition, so that the scan finds rows, not ranges.
     */
    public static void assertIndexScan(String plan, String table, String... columns) {
        Matcher scan = Pattern.compile("(Index (Only )?Scan( Backward)? using \\w+ on " + table + "\\b[^\\n]*"
                + "|Bitmap Index Scan on " + table + "\\w*[^\\n]*)(\\n\\s*Index Cond: ([^\\n]*))?").matcher(plan);
        boolean found = false;
        while (scan.find()) {
            String condition = scan.group(5) == null ? "" : scan.group(5);
            found = true;
            for (String column : columns) {
                assertTrue(condition.contains("(" + column + " = "), "expected " + column + " = … in the index"
                        + " condition on " + table + " in:\n" + plan);
            }
        }
        assertTrue(found, "expected an index scan on " + table + " in:\n" + plan);
    }

    /** Whether the planner has statistics on any of the tables. */
    private boolean anyAnalyzed() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select count(*) from pg_stat_user_tables where relname like"
                     + " 'event%' and (last_analyze is not null or last_autoanalyze is not null)")) {
            rows.next();
            return rows.getLong(1) > 0;
        }
    }

    /** A SQL array literal of the given elements, each already quoted as an array element needs. */
    public static String array(String type, Object... elements) {
        List<String> quoted = new ArrayList<>();
        for (Object element : elements) {
            quoted.add(element == null ? "NULL" : "\"" + element.toString().replace("\\", "\\\\")
                    .replace("\"", "\\\"") + "\"");
        }
        return "'{" + String.join(",", quoted).replace("'", "''") + "}'::" + type + "[]";
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        try {
            if (connection != null) {
                connection.close();
            }
        } finally {
            database.close();
        }
    }

    private static String partition(String table, String day, Instant from, Instant to) {
        return "create table " + table + "_" + day + " partition of " + table + " for values from ('"
                + EventIds.lowerBound(from) + "') to ('" + EventIds.lowerBound(to) + "')";
    }

    /** {@value #ROWS} published events, spread evenly over the two days, with ids as the service makes them. */
    private static String fill(Instant from, Instant to) {
        long first = from.toEpochMilli();
        long step = (to.toEpochMilli() - first - 3_600_000) / ROWS;
        return """
                insert into event (id, source, identity, type, subject, status, topic, received_at, body, headers)
                select (lpad(to_hex(%d + i * %d), 12, '0') || '7' || lpad(to_hex(i %% 4096), 3, '0') || '8'
                        || lpad(to_hex(i), 15, '0'))::uuid,
                       'hubject', 'delivery-' || i, 'oem.contract.created', 'contract-' || (i %% 1000), 'published',
                       'webhooks.hubject', now(), convert_to('{"n":' || i || '}', 'UTF8'), '{}'
                from generate_series(1, %d) as i""".formatted(first, step, ROWS);
    }
}
