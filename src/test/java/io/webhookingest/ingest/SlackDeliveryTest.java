package io.webhookingest.ingest;

import static io.webhookingest.ingest.ProviderDeliveriesTest.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.webhookingest.testing.EventRows;
import io.webhookingest.testing.Fixtures;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.ProvidersProfile;
import io.webhookingest.testing.Senders;
import io.webhookingest.testing.Signatures;

/** Slack's endpoint check and its timestamp window, through the real stack. */
@QuarkusTest
@TestProfile(ProvidersProfile.class)
@WithTestResource(KafkaBrokerResource.class)
class SlackDeliveryTest {

    @Inject
    Pool pool;

    @Test
    void urlVerificationIsAnsweredWithTheChallengeAndNothingIsStored() {
        byte[] body = Fixtures.bytes("slack", "url-verification.json");
        long before = new EventRows(pool).countBySource("slack");

        post("/webhooks/slack", body, Senders.slack(ProvidersProfile.SLACK_SECRET, body))
                .statusCode(200)
                .contentType("application/json")
                .body("challenge", equalTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"));

        assertEquals(before, new EventRows(pool).countBySource("slack"));
    }

    @Test
    void urlVerificationMustBeSignedToo() {
        byte[] body = Fixtures.bytes("slack", "url-verification.json");
        post("/webhooks/slack", body, Senders.slack("not-the-secret", body))
                .statusCode(401).body("reason", equalTo("signature_mismatch"));
    }

    @Test
    void requestSignedSixMinutesAgoIsRefusedAsStale() {
        byte[] body = Fixtures.bytes("slack", "message-event.json");
        String timestamp = Long.toString(Instant.now().getEpochSecond() - 360);
        post("/webhooks/slack", body, Map.of("X-Slack-Request-Timestamp", timestamp, "X-Slack-Signature",
                "v0=" + Signatures.hmacHex("HmacSHA256", ProvidersProfile.SLACK_SECRET,
                        Signatures.utf8("v0:" + timestamp + ":"), body)))
                .statusCode(401).body("reason", equalTo("stale_timestamp"));
    }
}
