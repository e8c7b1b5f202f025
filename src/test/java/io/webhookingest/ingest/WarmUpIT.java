package io.webhookingest.ingest;

import static io.webhookingest.testing.Signatures.hmacHex;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Http;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.TestDatabase;

/**
 * A packaged instance started with a warm-up rehearses deliveries of several providers on itself before it reports
 * ready, and keeps nothing of them: no event, key, queue entry or history, no count in the metrics or the rollup, no
 * log of a refusal, no warning.
 */
class WarmUpIT {

    private static final Pattern WARMED = Pattern.compile("Warmed up: (\\d+) rehearsed deliveries in 4 s");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readinessWaitsForTheRehearsalAndNothingOfItIsKeptOrCounted() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            Map<String, String> config = new HashMap<>(Instances.config(database.reactiveUrl()));
            config.put("ingest.warm-up.duration", "4s");
            try (AppProcess app = AppProcess.start("warm-up", AppProcess.freePort(), config)) {
                List<String> warming = app.readinessWhileStarting().stream()
                        .filter(answer -> status(answer, WarmUpHealthCheck.NAME).equals("DOWN")
                                && status(answer, "database").equals("UP"))
                        .toList();
                assertFalse(warming.isEmpty(), "readiness was DOWN for the warm-up alone while it ran: "
                        + app.readinessWhileStarting());

                String log = Files.readString(Path.of("target", "it-logs", "warm-up.log"));
                Matcher warmed = WARMED.matcher(log);
                assertTrue(warmed.find(), log);
                long rehearsed = Long.parseLong(warmed.group(1));
                assertTrue(rehearsed > 100, "the rehearsal ran closed loop for its duration: " + rehearsed);
                JsonNode ready = JSON.readTree(app.readiness().body());
                assertEquals(rehearsed, check(ready, WarmUpHealthCheck.NAME).path("data").path("rehearsed").asLong());

                byte[] body = Hubject.contractCreated(UUID.randomUUID().toString());
                HttpResponse<String> delivered = Http.send(HttpRequest.newBuilder(Instances.hubject(app))
                        .header("Content-Type", "application/json")
                        .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Instances.SECRET, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
                assertEquals(200, delivered.statusCode(), delivered.body());
                // The rollup is written every few seconds: once the real delivery is in it, a rehearsal would be too.
                await().atMost(Duration.ofSeconds(30)).until(() -> count(database,
                        "select count(*) from delivery_rollup where source = 'hubject'") > 0);

                assertEquals(1, count(database, "select count(*) from event"), "only the real delivery is stored");
                assertEquals(1, count(database, "select count(*) from event_key"));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertTrue(count(database,
                        "select coalesce(sum(n_tup_ins), 0) from pg_stat_user_tables where relname like 'event_key%'")
                        > rehearsed, "each rehearsal inserted its keys, in a transaction rolled back"));
                assertEquals(0, count(database, "select count(*) from pg_stat_activity where datname ="
                        + " current_database() and state like 'idle in transaction%'"), "no transaction is left open");
                assertEquals(0, count(database, "select count(*) from delivery_rollup where source <> 'hubject'"),
                        "no rollup row counts the rehearsal");
                String metrics = app.metrics();
                assertTrue(metrics.contains("source=\"hubject\""), metrics);
                assertFalse(metrics.contains("warm-up"), "no series counts the rehearsal");
                List<String> untilReady = Files.readAllLines(Path.of("target", "it-logs", "warm-up.log")).stream()
                        .takeWhile(line -> !line.contains("Warmed up:")).toList();
                assertEquals(List.of(), untilReady.stream().filter(line -> line.contains("\"level\":\"WARN\"")
                        || line.contains("\"level\":\"ERROR\"")).toList(), "the rehearsal logs no warning");
            }
        }
    }

    @Test
    void aRehearsalItsOwnInstanceRefusesEndsTheWarmUpWithAWarningAndTheInstanceReady() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            Map<String, String> config = new HashMap<>(Instances.config(database.reactiveUrl()));
            config.put("ingest.warm-up.duration", "30s");
            // Smaller than any rehearsed body: the first answer is a 413.
            config.put("ingest.max-body-size", "64");
            try (AppProcess app = AppProcess.start("warm-up-refused", AppProcess.freePort(), config)) {
                String log = Files.readString(Path.of("target", "it-logs", "warm-up-refused.log"));
                assertTrue(log.contains("Warm-up stopped after 0 rehearsed deliveries, because a rehearsed delivery"
                        + " was answered 413"), log);
                assertFalse(log.contains("Warmed up:"), log);
                assertEquals(200, app.readiness().statusCode(), "ready without the warm-up");
                assertEquals("UP", status(app.readiness().body(), WarmUpHealthCheck.NAME));
            }
        }
    }

    private static String status(String readiness, String name) {
        try {
            return check(JSON.readTree(readiness), name).path("status").asText();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static JsonNode check(JsonNode readiness, String name) {
        for (JsonNode check : readiness.path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        return JSON.missingNode();
    }

    private static long count(TestDatabase database, String sql) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
