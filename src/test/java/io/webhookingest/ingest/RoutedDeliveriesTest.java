package io.webhookingest.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.relay.CloudEventRecord;
import io.webhookingest.testing.EventRows;
import io.webhookingest.testing.Fixtures;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.ProvidersProfile;
import io.webhookingest.testing.Senders;
import io.webhookingest.testing.Topics;

/**
 * Source {@code routed} ({@link ProvidersProfile#ROUTES}, structured CloudEvents): the first route matching an
 * event's type picks its topic, a {@code record-only} route stores it without publishing, and other types go to the
 * source's topic; every record is one {@code application/cloudevents+json} value.
 */
@QuarkusTest
@TestProfile(ProvidersProfile.class)
@WithTestResource(KafkaBrokerResource.class)
class RoutedDeliveriesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pool pool;

    @Test
    void firstMatchingRoutePicksTheTopicAndTheRecordIsAStructuredCloudEvent() throws IOException {
        byte[] body = body("invoice.paid");
        String id = deliver(body).body("status", equalTo("accepted")).extract().path("events[0].id");

        ConsumerRecord<String, byte[]> record = Topics.awaitRecord("webhooks.invoices", r -> id.equals(ceId(r)));
        JsonNode event = JSON.readTree(record.value());
        assertEquals("1.0", event.path("specversion").asText());
        assertEquals("invoice.paid", event.path("type").asText());
        assertEquals("/webhooks/routed", event.path("source").asText());
        assertEquals(JSON.readTree(body), event.path("data"), "the provider's JSON is the event's data, as sent");
        assertEquals(CloudEventRecord.STRUCTURED_JSON, Topics.header(record, CloudEventRecord.CONTENT_TYPE));
        assertEquals(null, Topics.header(record, CloudEventRecord.ID), "structured mode has no ce_* headers");
        assertEquals(event.path("subject").asText(), record.key());
    }

    @Test
    void recordOnlyRouteStoresTheEventWithoutQueueingIt() {
        String id = deliver(body("invoice.voided")).body("events[0].status", equalTo("recorded"))
                .extract().path("events[0].id");

        EventRows.EventRow row = new EventRows(pool).byId(UUID.fromString(id));
        assertEquals("recorded", row.status());
        assertFalse(pool.preparedQuery("select 1 from event_outbox where event_id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().atMost(Duration.ofSeconds(10)).iterator().hasNext(),
                "never queued, so never published");
    }

    @Test
    void typeNoRouteMatchesGoesToTheSourcesTopic() throws IOException {
        String id = deliver(body("customer.created")).body("status", equalTo("accepted"))
                .extract().path("events[0].id");

        ConsumerRecord<String, byte[]> record = Topics.awaitRecord("webhooks.routed", r -> id.equals(ceId(r)));
        assertEquals("customer.created", JSON.readTree(record.value()).path("type").asText());
    }

    private static io.restassured.response.ValidatableResponse deliver(byte[] body) {
        return given().contentType("application/json")
                .headers(Senders.standardWebhooks(ProvidersProfile.STANDARD_WEBHOOKS_SECRET,
                        "msg_" + UUID.randomUUID(), body))
                .body(body).post("/webhooks/routed").then().statusCode(200);
    }

    private static byte[] body(String type) {
        return Fixtures.replacing("standard-webhooks", "invoice-paid.json", "invoice.paid", type);
    }

    private static String ceId(ConsumerRecord<String, byte[]> record) {
        try {
            return JSON.readTree(record.value()).path("id").asText();
        } catch (IOException e) {
            return null;
        }
    }
}
