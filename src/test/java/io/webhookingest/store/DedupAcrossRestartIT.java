package io.webhookingest.store;

import static io.webhookingest.testing.Signatures.hmacHex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Fixtures;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.TestDatabase;
import io.webhookingest.testing.Topics;

/** Deduplication lives in Postgres, so it holds across a restart of the application. */
class DedupAcrossRestartIT {

    static final String SECRET = "it-secret";
    static final String TOPIC = "webhooks.hubject";

    static TestDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Test
    void redeliveryAfterARestartIsStillADuplicate() throws Exception {
        Map<String, String> config = Map.of(
                "kafka.bootstrap.servers", KafkaBrokerResource.broker().bootstrapServers(),
                "quarkus.datasource.reactive.url", database.reactiveUrl(),
                "ingest.sources.hubject.secrets", SECRET);
        int port = AppProcess.freePort();
        byte[] body = Fixtures.replacing("hubject", "contract-created.json", "caf56bee-f90d-4e81-a862-7e0d0f21d306",
                UUID.randomUUID().toString());

        String id;
        try (AppProcess first = AppProcess.start("dedup-restart-first", port, config)) {
            JsonPath accepted = deliver(first, body);
            assertEquals("accepted", accepted.getString("status"));
            id = accepted.getString("events[0].id");
            Topics.awaitCloudEvent(TOPIC, id);
            assertEquals(143, first.stop(), "SIGTERM ends the JVM with 128 + 15 once shutdown completed");
        }

        try (AppProcess second = AppProcess.start("dedup-restart-second", port, config)) {
            JsonPath again = deliver(second, body);
            assertEquals("duplicate", again.getString("status"));
            assertEquals(id, again.getString("events[0].id"));

            byte[] marker = Fixtures.replacing("hubject", "contract-created.json",
                    "caf56bee-f90d-4e81-a862-7e0d0f21d306", UUID.randomUUID().toString());
            Topics.awaitCloudEvent(TOPIC, deliver(second, marker).getString("events[0].id"));
            assertEquals(1, Topics.withCloudEventId(TOPIC, id).size(), "published once across both runs");
        }
    }

    private static JsonPath deliver(AppProcess app, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(app.uri("/webhooks/hubject"))
                        .header("X-Hubject-Signature", "sha256=" + hmacHex("HmacSHA256", SECRET, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return new JsonPath(response.body());
    }
}
