package io.webhookingest.store;

import static io.webhookingest.testing.Signatures.hmacHex;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.TcpProxy;
import io.webhookingest.testing.TestDatabase;
import io.webhookingest.testing.Topics;

/**
 * Postgres goes away: deliveries get 503 with Retry-After and nothing is half-written, readiness goes DOWN, and when
 * the database returns the service recovers by itself.
 */
class DatabaseOutageIT {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void deliveriesAreRefusedWith503WhileTheDatabaseIsAwayAndAcceptedWhenItReturns() throws Exception {
        try (TestDatabase database = TestDatabase.create();
             TcpProxy proxy = new TcpProxy("127.0.0.1", 5432)) {
            Map<String, String> config = Instances.config(
                    database.reactiveUrl().replace(TestDatabase.HOST, "127.0.0.1:" + proxy.port()));
            config.put("ingest.store.timeout", "3s");
            try (AppProcess app = AppProcess.start("database-outage", AppProcess.freePort(), config)) {
                String before = UUID.randomUUID().toString();
                assertEquals(200, deliver(app, before).statusCode());

                proxy.cut();
                String during = UUID.randomUUID().toString();
                HttpResponse<String> refused = deliver(app, during);
                assertEquals(503, refused.statusCode(), refused.body());
                assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElseThrow());
                assertEquals("5", refused.headers().firstValue("Retry-After").orElseThrow());
                assertEquals("store_unavailable", new JsonPath(refused.body()).getString("reason"));
                await().atMost(Duration.ofSeconds(30)).until(() -> app.readiness().statusCode() == 503);
                String down = app.readiness().body();
                assertEquals("DOWN", new JsonPath(down).getString("checks.find { it.name == 'database' }.status"));
                assertFalse(down.contains("Exception") || down.contains("onnection") || down.contains("127.0.0.1"),
                        "readiness does not tell the public why: " + down);

                proxy.restore();
                await().atMost(Duration.ofSeconds(60)).until(() -> app.readiness().statusCode() == 200);
                assertEquals(0, rows(database, during), "nothing of the refused delivery was written");
                HttpResponse<String> retried = deliver(app, during);
                assertEquals(200, retried.statusCode(), retried.body());
                assertEquals("accepted", new JsonPath(retried.body()).getString("status"));

                Topics.awaitCloudEvent(Hubject.TOPIC, new JsonPath(retried.body()).getString("events[0].id"));
                assertEquals(1, rows(database, before));
                assertTrue(app.isAlive());
            }
        }
    }

    private static HttpResponse<String> deliver(AppProcess app, String eventId) throws Exception {
        byte[] body = Hubject.contractCreated(eventId);
        return HTTP.send(HttpRequest.newBuilder(Instances.hubject(app)).timeout(Duration.ofSeconds(30))
                .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Instances.SECRET, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long rows(TestDatabase database, String eventId) throws Exception {
        try (Connection connection = database.connect();
             PreparedStatement query = connection.prepareStatement("select count(*) from event where identity = ?")) {
            query.setString(1, eventId);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
