package io.webhookingest.relay;

import static io.restassured.RestAssured.given;
import static io.webhookingest.testing.Signatures.hmacHex;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.testing.EventRows;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Management;
import io.webhookingest.testing.RelayLeases;
import io.webhookingest.testing.Topics;

/**
 * An event the broker refuses for good is set aside as failed, with the broker's reason, and does not hold back the
 * events behind it; replayed once the cause is fixed, it is published.
 */
@QuarkusTest
@TestProfile(RelayFailureTest.BrokenTopics.class)
@WithTestResource(KafkaBrokerResource.class)
class RelayFailureTest {

    /** One source whose topic name Kafka refuses, one accepting bodies larger than the broker's message limit. */
    public static class BrokenTopics implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "ingest.sources.misnamed.provider", "hubject",
                    "ingest.sources.misnamed.secrets", Hubject.SECRET,
                    "ingest.sources.misnamed.topic", "not a valid topic!",
                    "ingest.sources.large.provider", "hubject",
                    "ingest.sources.large.secrets", Hubject.SECRET,
                    "ingest.sources.large.max-body-size", "2M");
        }
    }

    @Inject
    Pool pool;

    @Test
    void refusedEventsAreSetAsideWithoutBlockingTheOthersAndPublishedWhenReplayedOnceFixed() throws Exception {
        String misnamed = deliver("misnamed", Hubject.contractCreated(UUID.randomUUID().toString()));
        String tooLarge = deliver("large", padded(1536 * 1024));
        String fine = deliver("hubject", Hubject.contractCreated(UUID.randomUUID().toString()));

        Topics.awaitCloudEvent(Hubject.TOPIC, fine);
        EventRows rows = new EventRows(pool);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows.byId(UUID.fromString(misnamed)).status().equals("failed")
                && rows.byId(UUID.fromString(tooLarge)).status().equals("failed"));

        admin().get("/admin/events/" + misnamed).then().statusCode(200)
                .body("reason", containsString("InvalidTopicException"));
        admin().get("/admin/events/" + tooLarge).then().statusCode(200)
                .body("reason", containsString("RecordTooLargeException"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Management.given().get("/q/health/ready").then().statusCode(200)
                .extract().<Integer>path("checks.find { it.name == 'outbox' }.data.failed") >= 2);

        admin().post("/admin/events/" + misnamed + "/replay").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows.byId(UUID.fromString(misnamed)).status()
                .equals("failed"));

        allowLargerRecords("webhooks.large");
        admin().post("/admin/events/" + tooLarge + "/replay").then().statusCode(202);
        Topics.awaitCloudEvent("webhooks.large", tooLarge);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows.byId(UUID.fromString(tooLarge)).status()
                .equals("published"));
        admin().get("/admin/events/" + tooLarge).then().statusCode(200).body("reason", nullValue())
                .body("history.what", contains("received", "failed", "replayed", "published"))
                .body("history[1].detail", containsString("RecordTooLargeException"));
        admin().get("/admin/events/" + misnamed).then().statusCode(200)
                .body("history.what", contains("received", "failed", "replayed", "failed"))
                .body("history[3].detail", containsString("InvalidTopicException"));
        String page = Management.given().cookie("webhook_ingest_console", consoleSession())
                .get("/console/events/" + misnamed).then().statusCode(200).extract().asString();
        assertTrue(page.matches("(?s).*<tr class=\"step step-failed\"><td>[^<]+</td><td>refused by the broker</td>"
                + "<td>[^<]*InvalidTopicException.*"), "the console tells the refusal and its reason: " + page);
    }

    /** A console session's cookie, as signing in sets it. */
    private static String consoleSession() {
        return Management.given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("token", Management.ADMIN_TOKEN).post("/console/login").then().statusCode(303)
                .extract().cookie("webhook_ingest_console");
    }

    /** Fixes what made the broker refuse the large event: the topic now takes records of up to 4 MiB. */
    private static void allowLargerRecords(String topic) throws Exception {
        try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokerResource.broker().bootstrapServers()))) {
            kafka.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", Integer.toString(4 << 20)),
                            AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRefusedEventDoesNotTakeTheRestOfItsBatchDownWithIt() {
        RelayLeases.holdElsewhere(pool);

        String misnamed = deliver("misnamed", Hubject.contractCreated(UUID.randomUUID().toString()));
        String first = deliver("hubject", Hubject.contractCreated(UUID.randomUUID().toString()));
        String second = deliver("hubject", Hubject.contractCreated(UUID.randomUUID().toString()));
        RelayLeases.giveBack(pool);

        Topics.awaitCloudEvent(Hubject.TOPIC, second);
        Topics.awaitCloudEvent(Hubject.TOPIC, first);
        EventRows rows = new EventRows(pool);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows.byId(UUID.fromString(misnamed)).status()
                .equals("failed"));
        await().atMost(Duration.ofSeconds(30)).until(() -> rows.byId(UUID.fromString(first)).status()
                .equals("published") && rows.byId(UUID.fromString(second)).status().equals("published"));
    }

    @Test
    void bulkReplayQueuesFailedEventsAgainWithoutTheirReason() {
        Instant since = Instant.now();
        String misnamed = deliver("misnamed", Hubject.contractCreated(UUID.randomUUID().toString()));
        EventRows rows = new EventRows(pool);
        await().atMost(Duration.ofSeconds(30)).until(() -> rows.byId(UUID.fromString(misnamed)).status()
                .equals("failed"));
        RelayLeases.holdElsewhere(pool);
        try {
            admin().contentType("application/json")
                    .body(Map.of("source", "misnamed", "status", "failed", "since", since.toString()))
                    .post("/admin/replay").then().statusCode(200).body("replayed", equalTo(1));

            admin().get("/admin/events/" + misnamed).then().statusCode(200)
                    .body("status", equalTo("pending")).body("reason", nullValue());
            admin().queryParam("source", "misnamed").queryParam("status", "pending").get("/admin/events").then()
                    .statusCode(200).body("events.id", hasItem(misnamed));
            admin().queryParam("source", "misnamed").queryParam("status", "failed").get("/admin/events").then()
                    .statusCode(200).body("events.id", not(hasItem(misnamed)));
        } finally {
            RelayLeases.giveBack(pool);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> rows.byId(UUID.fromString(misnamed)).status()
                .equals("failed"));
    }

    @Test
    void aQueuedEventThatNoLongerExistsIsDroppedFromTheQueue() {
        UUID gone = UUID.randomUUID();
        pool.preparedQuery("insert into event_outbox (event_id, size) values ($1, 2)").execute(Tuple.of(gone))
                .await().atMost(Duration.ofSeconds(10));
        String after = deliver("hubject", Hubject.contractCreated(UUID.randomUUID().toString()));

        Topics.awaitCloudEvent(Hubject.TOPIC, after);
        await().atMost(Duration.ofSeconds(20)).until(() -> pool.preparedQuery(
                "select count(*) from event_outbox where event_id = $1").execute(Tuple.of(gone))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0) == 0);
    }

    private static RequestSpecification admin() {
        return Management.admin();
    }

    private static String deliver(String source, byte[] body) {
        return given().contentType("application/json")
                .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Hubject.SECRET, body))
                .body(body).post("/webhooks/" + source).then().statusCode(200).extract().path("events[0].id");
    }

    /** A valid event of {@code size} bytes whose padding is random, so that compression cannot shrink it. */
    private static byte[] padded(int size) {
        String head = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventType\":\"oem.contract.created\",\"pad\":\"";
        byte[] noise = new byte[size];
        new Random(42).nextBytes(noise);
        String padding = Base64.getEncoder().encodeToString(noise).substring(0, size - head.length() - 2);
        return (head + padding + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
