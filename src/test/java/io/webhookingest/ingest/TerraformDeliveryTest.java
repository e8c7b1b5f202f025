package io.webhookingest.ingest;

import static io.webhookingest.ingest.ProviderDeliveriesTest.post;
import static io.webhookingest.testing.Topics.header;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.webhookingest.extract.JsonBody;
import io.webhookingest.testing.EventRows;
import io.webhookingest.testing.Fixtures;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.ProvidersProfile;
import io.webhookingest.testing.Senders;
import io.webhookingest.testing.Topics;

/** HCP Terraform's particular deliveries, through the real stack. */
@QuarkusTest
@TestProfile(ProvidersProfile.class)
@WithTestResource(KafkaBrokerResource.class)
class TerraformDeliveryTest {

    static final String TOPIC = "webhooks.terraform";
    static final String TOKEN = ProvidersProfile.TERRAFORM_TOKEN;

    @Inject
    Pool pool;

    @Test
    void verificationRequestIsAnsweredAndRecordedButNeverPublished() {
        byte[] body = Fixtures.replacing("terraform", "verification.json", "nc-AeUQ2zfKZzW9TiGZ",
                "nc-" + UUID.randomUUID());
        String id = post("/webhooks/terraform", body, Senders.terraform(TOKEN, body))
                .statusCode(200)
                .body("status", equalTo("accepted"))
                .body("events[0].status", equalTo("recorded"))
                .extract().path("events[0].id");
        post("/webhooks/terraform", body, Senders.terraform(TOKEN, body))
                .statusCode(200).body("status", equalTo("duplicate"));

        String marker = deliverRun("run-" + UUID.randomUUID());
        Topics.awaitCloudEvent(TOPIC, marker);
        assertTrue(Topics.withCloudEventId(TOPIC, id).isEmpty(), "the verification is not a business event");
        List<EventRows.EventRow> rows = new EventRows(pool).byIdentityPrefix("terraform", "verification|");
        assertTrue(rows.stream().anyMatch(row -> row.id().toString().equals(id) && row.status().equals("recorded")));
    }

    @Test
    void rolledUpNotificationsArePublishedAsOneRecordEachInOrder() {
        String runId = "run-" + UUID.randomUUID();
        byte[] body = Fixtures.replacing("terraform", "two-notifications.json", "run-XcKdf3TtJjUu7h2P", runId);
        List<String> ids = post("/webhooks/terraform", body, Senders.terraform(TOKEN, body))
                .statusCode(200).body("events", hasSize(2)).extract().path("events.id");

        Topics.awaitCloudEvent(TOPIC, ids.get(1));
        List<ConsumerRecord<String, byte[]>> records = Topics.readAll(TOPIC).stream()
                .filter(r -> runId.equals(r.key())).toList();
        assertEquals(ids, records.stream().map(r -> header(r, "ce_id")).toList(), "one record each, in order");
        assertEquals(List.of("run:needs_attention", "run:errored"),
                records.stream().map(r -> header(r, "ce_type")).toList());
        assertEquals("canceled", JsonBody.parseObject(records.get(1).value()).orElseThrow()
                .get("notifications").get(0).get("run_status").asText(), "each value carries its own notification");
    }

    @Test
    void emptySignatureHeaderIsRefusedWhileATokenIsConfigured() {
        byte[] body = Fixtures.bytes("terraform", "run-completed.json");
        post("/webhooks/terraform", body, Map.of("X-TFE-Notification-Signature", ""))
                .statusCode(401).body("reason", equalTo("missing_signature"));
    }

    private String deliverRun(String runId) {
        byte[] body = Fixtures.replacing("terraform", "run-completed.json", "run-CZcmD7eagjhyX0vN", runId);
        return post("/webhooks/terraform", body, Senders.terraform(TOKEN, body)).statusCode(200)
                .extract().path("events[0].id");
    }
}
