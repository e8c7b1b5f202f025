package io.webhookingest.source;

import static io.webhookingest.testing.Signatures.hmacHex;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Fixtures;
import io.webhookingest.testing.Http;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.TestDatabase;

/**
 * Two instances on one database: a source created, rotated or disabled through one instance's API is applied by the
 * other within 2 s. The periodic reload is set to a minute, so only the notification can explain that; an instance
 * whose listening connection is cut listens again and catches up within seconds.
 */
class SourcePropagationIT {

    static final String TOKEN = "it-admin-token-for-the-integration-tests";
    static final String NAME = "gh-runtime";
    static final String FIRST_SECRET = "first-runtime-secret";
    static final String SECOND_SECRET = "second-runtime-secret";
    static final Duration PROPAGATION = Duration.ofSeconds(2);
    /** A second before listening again, then the reload that catches up, well before the minute's reload. */
    static final Duration RECONNECTED = Duration.ofSeconds(5);

    @Test
    void aChangeMadeOnOneInstanceIsAppliedByTheOtherWithinTwoSeconds() {
        try (TestDatabase database = TestDatabase.create()) {
            Map<String, String> config = Instances.config(database.reactiveUrl());
            config.put("ingest.admin.token", TOKEN);
            config.put("ingest.secrets.key", Base64.getEncoder().encodeToString(
                    "an-integration-test-key-32-bytes".getBytes(StandardCharsets.UTF_8)));
            config.put("ingest.source-reload-interval", "60s");
            try (AppProcess first = AppProcess.start("sources-a", AppProcess.freePort(), config);
                 AppProcess second = AppProcess.start("sources-b", AppProcess.freePort(), config)) {
                assertEquals(404, deliver(second, FIRST_SECRET).statusCode());

                assertEquals(201, admin(first, "PUT", "/admin/sources/" + NAME, "{\"provider\": \"github\"}")
                        .statusCode());
                String firstFingerprint = new JsonPath(admin(first, "POST", "/admin/sources/" + NAME + "/secrets",
                        "{\"secret\": \"" + FIRST_SECRET + "\"}").body()).getString("fingerprint");
                awaitStatus(second, FIRST_SECRET, 200);

                String secondFingerprint = new JsonPath(admin(second, "POST", "/admin/sources/" + NAME
                        + "/secrets", "{\"secret\": \"" + SECOND_SECRET + "\"}").body()).getString("fingerprint");
                assertEquals(204, admin(second, "DELETE", "/admin/sources/" + NAME + "/secrets/" + firstFingerprint,
                        null).statusCode());
                awaitStatus(first, FIRST_SECRET, 401);
                assertEquals(200, deliver(first, SECOND_SECRET).statusCode());

                await().atMost(Duration.ofSeconds(10)).until(() -> secondFingerprint.equals(new JsonPath(
                        admin(second, "GET", "/admin/sources/" + NAME, null).body())
                        .getString("secrets.find { it.lastVerifiedAt != null }.fingerprint")));

                assertEquals(200, admin(first, "POST", "/admin/sources/" + NAME + "/disable", "").statusCode());
                awaitStatus(second, SECOND_SECRET, 404);
                assertEquals(200, admin(second, "POST", "/admin/sources/" + NAME + "/enable", "").statusCode());
                awaitStatus(first, SECOND_SECRET, 200);

                assertEquals(2, terminateListeners(database), "both instances were listening");
                assertEquals(200, admin(first, "POST", "/admin/sources/" + NAME + "/disable", "").statusCode());
                await().atMost(RECONNECTED).pollInterval(Duration.ofMillis(50))
                        .until(() -> deliver(second, SECOND_SECRET).statusCode() == 404);
            }
        }
    }

    /** Ends the instances' listening connections as a failover or a network cut would; how many there were. */
    private static int terminateListeners(TestDatabase database) {
        try (Connection connection = database.connect(); Statement sql = connection.createStatement();
             ResultSet terminated = sql.executeQuery("select count(pg_terminate_backend(pid)) from pg_stat_activity"
                     + " where datname = current_database() and query = 'listen " + SourceStore.CHANNEL + "'")) {
            terminated.next();
            return terminated.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits, at most the propagation bound, until a delivery signed with this secret is answered with the status. */
    private static void awaitStatus(AppProcess app, String secret, int status) {
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(50))
                .until(() -> deliver(app, secret).statusCode() == status);
    }

    private static HttpResponse<String> deliver(AppProcess app, String secret) {
        byte[] body = Fixtures.replacing("github", "push.json", "59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5",
                UUID.randomUUID().toString());
        return Http.send(HttpRequest.newBuilder(app.uri("/webhooks/" + NAME))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", "sha256=" + hmacHex("HmacSHA256", secret, body))
                .header("X-GitHub-Event", "push").header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static HttpResponse<String> admin(AppProcess app, String method, String path, String body) {
        URI uri = app.managementUri(path);
        return Http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
