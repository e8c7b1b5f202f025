package io.webhookingest.admin;

import static io.webhookingest.testing.Signatures.hmacHex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.TestDatabase;
import io.webhookingest.testing.Topics;

/**
 * A source misconfigured for its payload quarantines what it receives; once the configuration is fixed (a restart
 * with the right identity pointer), the operator releases the delivery and it is published like any other.
 */
class QuarantineReleaseIT {

    static final String TOKEN = "it-admin-token-for-the-integration-tests";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void quarantinedDeliveryIsPublishedAfterTheConfigurationIsFixedAndItIsReleased() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            Map<String, String> config = Instances.config(database.reactiveUrl());
            config.put("ingest.admin.token", TOKEN);
            int port = AppProcess.freePort();
            String eventId = UUID.randomUUID().toString();
            byte[] body = Hubject.contractCreated(eventId);

            Map<String, String> misconfigured = new HashMap<>(config);
            misconfigured.put("ingest.sources.hubject.id", "/event/id");
            String kept;
            try (AppProcess app = AppProcess.start("quarantine-misconfigured", port, misconfigured)) {
                HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(Instances.hubject(app))
                        .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Instances.SECRET, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(400, refused.statusCode(), refused.body());
                kept = new JsonPath(refused.body()).getString("quarantinedEvent");
                assertEquals(409, admin(app, "POST", "/admin/events/" + kept + "/release").statusCode(),
                        "not releasable while the configuration still cannot read it");
                app.stop();
            }

            try (AppProcess app = AppProcess.start("quarantine-fixed", port, config)) {
                HttpResponse<String> released = admin(app, "POST", "/admin/events/" + kept + "/release");
                assertEquals(200, released.statusCode(), released.body());
                JsonPath answer = new JsonPath(released.body());
                assertEquals("released", answer.getString("status"));
                assertEquals("pending", answer.getString("events[0].status"));

                ConsumerRecord<String, byte[]> record = Topics.awaitCloudEvent(Hubject.TOPIC,
                        answer.getString("events[0].id"));
                assertArrayEquals(body, record.value());
                assertEquals("released", new JsonPath(admin(app, "GET", "/admin/events/" + kept).body())
                        .getString("status"));
                assertEquals(409, admin(app, "POST", "/admin/events/" + kept + "/release").statusCode());
            }
        }
    }

    private static HttpResponse<String> admin(AppProcess app, String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(app.managementUri(path)).header("Authorization", "Bearer " + TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
