package io.webhookingest.ingest;

import static io.webhookingest.ingest.ProviderDeliveriesTest.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.webhookingest.testing.EventRows;
import io.webhookingest.testing.Fixtures;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.ProvidersProfile;
import io.webhookingest.testing.Senders;

/** xpanse's replay guard (kept in Postgres) and the URL it signs, through the real stack. */
@QuarkusTest
@TestProfile(ProvidersProfile.class)
@WithTestResource(KafkaBrokerResource.class)
class XpanseDeliveryTest {

    static final String SECRET = ProvidersProfile.XPANSE_SECRET;
    static final String TAIL = "/webhook/terra-boot/order/o-17";

    @Inject
    Pool pool;

    @TestHTTPResource("/")
    URI root;

    @Test
    void exactReplayIsRefusedWhileTheSameResultWithAFreshNonceIsADuplicate() {
        String requestId = UUID.randomUUID().toString();
        byte[] body = result(requestId);
        Map<String, String> headers = Senders.xpanse(SECRET, ProvidersProfile.XPANSE_PUBLIC_URL + TAIL, body);

        String id = post("/webhooks/xpanse" + TAIL, body, headers).statusCode(200)
                .body("status", equalTo("accepted")).extract().path("events[0].id");
        post("/webhooks/xpanse" + TAIL, body, headers)
                .statusCode(401).contentType(Problem.MEDIA_TYPE).body("reason", equalTo("replayed"));
        post("/webhooks/xpanse" + TAIL, body, Senders.xpanse(SECRET, ProvidersProfile.XPANSE_PUBLIC_URL + TAIL, body))
                .statusCode(200).body("status", equalTo("duplicate")).body("events[0].id", equalTo(id));

        assertEquals(1, new EventRows(pool).bySourceAndIdentity("xpanse", requestId).size());
    }

    @Test
    void refusedDeliveryDoesNotBurnItsNonce() {
        String requestId = UUID.randomUUID().toString();
        byte[] body = result(requestId);
        String nonce = UUID.randomUUID().toString().replace("-", "");
        long now = Instant.now().toEpochMilli();
        Map<String, String> stale = Senders.xpanse(SECRET, ProvidersProfile.XPANSE_PUBLIC_URL + TAIL, nonce,
                now - 600_000, body);
        post("/webhooks/xpanse" + TAIL, body, stale).statusCode(401).body("reason", equalTo("stale_timestamp"));

        post("/webhooks/xpanse" + TAIL, body, Senders.xpanse(SECRET, ProvidersProfile.XPANSE_PUBLIC_URL + TAIL,
                nonce, now, body)).statusCode(200).body("status", equalTo("accepted"));
    }

    @Test
    void withoutAPublicUrlTheRequestUrlIsSignedPortIncluded() {
        byte[] body = result(UUID.randomUUID().toString());
        String url = "http://localhost:" + root.getPort() + "/webhooks/xpanse-direct/order/o-5?attempt=1";
        post("/webhooks/xpanse-direct/order/o-5?attempt=1", body, Senders.xpanse(SECRET, url, body))
                .statusCode(200).body("status", equalTo("accepted"));
    }

    @Test
    void behindAProxyTheForwardedSchemeAndHostAreSigned() {
        byte[] body = result(UUID.randomUUID().toString());
        String url = "https://public.example.org/webhooks/xpanse-direct/order/o-6";
        Map<String, String> headers = new HashMap<>(Senders.xpanse(SECRET, url, body));
        headers.put("X-Forwarded-Proto", "https");
        headers.put("X-Forwarded-Host", "public.example.org");
        post("/webhooks/xpanse-direct/order/o-6", body, headers).statusCode(200)
                .body("status", equalTo("accepted"));
    }

    static byte[] result(String requestId) {
        return Fixtures.replacing("xpanse", "terra-boot-result.json", "2c5e1a2b-7d9e-4f0a-b6c1-3e8d9f0a1b2c",
                requestId);
    }
}
