package io.webhookingest.ingest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.webhookingest.testing.EventRows;
import io.webhookingest.testing.Fixtures;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.ProvidersProfile;
import io.webhookingest.testing.RawHttp;
import io.webhookingest.testing.Senders;
import io.webhookingest.testing.Topics;

/**
 * GitHub signs the body only, so its delivery id can be swapped by anyone who captured one delivery: the body and
 * signature resent under a fresh {@code X-GitHub-Delivery} is the same event, answered as a duplicate and published
 * once; and a delivery id that would put control characters into the stored identity and the record is refused.
 */
@QuarkusTest
@TestProfile(ProvidersProfile.class)
@WithTestResource(KafkaBrokerResource.class)
class ReplayedBodyTest {

    static final String TOPIC = "webhooks.github";

    @Inject
    Pool pool;

    @TestHTTPResource("/")
    URI root;

    @Test
    void aCapturedBodyResentUnderAFreshDeliveryIdIsADuplicate() {
        byte[] body = Fixtures.replacing("github", "push.json", "59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5",
                UUID.randomUUID().toString().replace("-", ""));
        Map<String, String> captured = Senders.github(ProvidersProfile.GITHUB_SECRET, "push", body);
        String original = given().headers(captured).contentType("application/json").body(body)
                .post("/webhooks/github").then().statusCode(200).body("status", equalTo("accepted"))
                .extract().path("events[0].id");

        Map<String, String> replayed = new HashMap<>(captured);
        String freshDelivery = UUID.randomUUID().toString();
        replayed.put("X-GitHub-Delivery", freshDelivery);
        given().headers(replayed).contentType("application/json").body(body).post("/webhooks/github").then()
                .statusCode(200).body("status", equalTo("duplicate")).body("events[0].id", equalTo(original));

        Topics.awaitCloudEvent(TOPIC, original);
        EventRows rows = new EventRows(pool);
        await().atMost(Duration.ofSeconds(20)).until(() -> rows.byId(UUID.fromString(original)).status()
                .equals("published"));
        assertEquals(0, rows.bySourceAndIdentity("github", freshDelivery).size(), "no event under the fresh id");
        assertEquals(1, Topics.withCloudEventId(TOPIC, original).size(), "published once");
    }

    /** Sent as UTF-8, as a sender does; each arrives with C1 controls in it (C0 ones the HTTP layer refuses itself). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a\u202eb", "a\u0085b", "a\u2028b"})
    void anUnsignedDeliveryIdCarryingControlsIsQuarantined(String deliveryId) throws Exception {
        byte[] body = Fixtures.replacing("github", "push.json", "59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5",
                UUID.randomUUID().toString().replace("-", ""));
        Map<String, String> headers = new HashMap<>(Senders.github(ProvidersProfile.GITHUB_SECRET, "push", body));
        headers.put("X-GitHub-Delivery", deliveryId);
        RawHttp.Answer answer = RawHttp.post(root.getHost(), root.getPort(), "/webhooks/github", headers, body);
        assertEquals(400, answer.status(), answer.text());
        assertTrue(answer.text().contains("\"reason\":\"malformed_body\""), answer.text());
        assertTrue(answer.text().contains("control character"), answer.text());
    }
}
