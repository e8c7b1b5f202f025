package io.webhookingest.ingest;

import static io.restassured.RestAssured.given;
import static io.webhookingest.testing.Signatures.hmacHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.testing.EventRows;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.KafkaBrokerResource;

/** Credentials never reach the stored headers: a configured list adds to the built-in one and cannot shorten it. */
@QuarkusTest
@TestProfile(StoredHeadersTest.ExtraRedaction.class)
@WithTestResource(KafkaBrokerResource.class)
class StoredHeadersTest {

    public static class ExtraRedaction implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ingest.redacted-headers", "X-Partner-Key");
        }
    }

    static final List<String> CREDENTIALS = List.of("Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key",
            "X-Auth-Token", "Api-Key", "X-Amz-Security-Token", "X-Partner-Key", "X-Gitlab-Token", "X-Webhook-Secret",
            "Ocp-Apim-Subscription-Key", "X-Functions-Key", "X-Vault-Token");

    @Inject
    Pool pool;

    @Test
    void credentialHeadersAreNeverStoredAndTheRestIsKeptAsSent() {
        byte[] body = Hubject.contractCreated(UUID.randomUUID().toString());
        var request = given().contentType("application/json").header("X-Request-Id", "r-1")
                .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Hubject.SECRET, body)).body(body);
        CREDENTIALS.forEach(name -> request.header(name, "secret-" + name));
        String id = request.post("/webhooks/hubject").then().statusCode(200).extract().path("events[0].id");

        JsonObject stored = new EventRows(pool).byId(UUID.fromString(id)).headers();
        for (String name : CREDENTIALS) {
            assertFalse(stored.containsKey(name.toLowerCase()), name + " is not stored: " + stored);
        }
        assertFalse(stored.encode().contains("secret-"), "no credential value anywhere: " + stored);
        assertEquals("r-1", stored.getJsonArray("x-request-id").getString(0));
        assertTrue(stored.containsKey("x-hubject-signature"), "the signature is kept, as evidence");
    }

    @Test
    void credentialQueryParametersOfAQuarantinedDeliveryAreNotStored() {
        byte[] unreadable = ("{\"eventType\":\"x\",\"note\":\"" + UUID.randomUUID() + "\"}").getBytes();
        String kept = given().contentType("application/json")
                .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Hubject.SECRET, unreadable))
                .body(unreadable).post("/webhooks/hubject?code=secret-code&attempt=2&sig=secret-sig").then()
                .statusCode(400).extract().path("quarantinedEvent");
        String url = pool.preparedQuery("select url from event where id = $1")
                .execute(Tuple.of(UUID.fromString(kept))).await()
                .atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
        assertFalse(url.contains("secret-"), url);
        assertTrue(url.endsWith("?code=REDACTED&attempt=2&sig=REDACTED"), url);
    }
}
