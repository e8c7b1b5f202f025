package io.webhookingest.admin;

import static io.webhookingest.testing.Signatures.hmacHex;
import static io.webhookingest.testing.Signatures.utf8;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.ingest.Problem;
import io.webhookingest.testing.EventRows;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Management;
import io.webhookingest.testing.RelayLeases;
import io.webhookingest.testing.Topics;

/** The operators' API against the real database and broker. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class AdminApiTest {

    static final String TOKEN = Management.ADMIN_TOKEN;
    static final String TOPIC = Hubject.TOPIC;

    @Inject
    Pool pool;

    static RequestSpecification admin() {
        return Management.admin();
    }

    @Test
    void requiresTheBearerToken() {
        Management.given().get("/admin/events").then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", "Bearer realm=\"webhook-ingest admin\"");
        Management.given().header("Authorization", "Bearer wrong").get("/admin/events").then().statusCode(401);
        Management.given().header("Authorization", TOKEN).get("/admin/events").then().statusCode(401);
        Management.given().header("Authorization", "Bearer wrong").post("/admin/replay").then().statusCode(401);
    }

    @Test
    void listsEventsNewestFirstWithFilters() {
        String first = deliver();
        String second = deliver();
        List<String> ids = admin().queryParam("source", "hubject").queryParam("limit", 2)
                .get("/admin/events").then().statusCode(200)
                .body("events.source", everyItem(equalTo("hubject")))
                .extract().path("events.id");
        assertEquals(List.of(second, first), ids);

        awaitStatus(second, "published");
        admin().queryParam("status", "published").get("/admin/events").then().statusCode(200)
                .body("events.id", hasItem(second));
        admin().queryParam("status", "pending").get("/admin/events").then().statusCode(200)
                .body("events.id", not(hasItem(second)));

        admin().queryParam("type", "oem.contract.created").queryParam("since", Instant.now().minusSeconds(60).toString())
                .get("/admin/events").then().statusCode(200).body("events.id", hasItem(second));
        admin().queryParam("until", "2000-01-01T00:00:00Z").get("/admin/events").then().statusCode(200)
                .body("events.id", not(hasItem(second)));
        admin().queryParam("status", "nonsense").get("/admin/events").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE);
        admin().queryParam("since", "yesterday").get("/admin/events").then().statusCode(400);
        admin().queryParam("limit", 0).get("/admin/events").then().statusCode(400);
    }

    @Test
    void detailShowsTheRawBodyAndHeadersButNoSecret() {
        String eventId = UUID.randomUUID().toString();
        byte[] body = Hubject.contractCreated(eventId);
        String id = Hubject.deliver(body, Hubject.SECRET).statusCode(200)
                .extract().path("events[0].id");

        String detail = admin().get("/admin/events/" + id).then().statusCode(200)
                .body("identity", equalTo(eventId))
                .body("type", equalTo("oem.contract.created"))
                .body("subject", equalTo("TESTEMAID"))
                .body("body", equalTo(new String(body)))
                .body("headers.content-type[0]", equalTo("application/json"))
                .extract().asString();
        assertFalse(detail.contains(Hubject.SECRET), "no secret in the detail");

        byte[] raw = admin().get("/admin/events/" + id + "/body").then().statusCode(200)
                .contentType("application/json")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", "attachment; filename=\"" + id + ".body\"")
                .extract().asByteArray();
        assertArrayEquals(body, raw);
        admin().get("/admin/events/" + UUID.randomUUID()).then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        admin().get("/admin/events/not-a-uuid").then().statusCode(404).body("reason", equalTo("unknown_event"));
    }

    /** A sender's HTML never renders in an operator's browser, and a content type that does not parse is no 500. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"text/html; charset=utf-8|text/html; charset=utf-8",
            "text/html, application/json;;;=|application/octet-stream", "\"\"|application/octet-stream"})
    void rawBodiesAreServedInertWhateverTheSenderDeclared(String sent, String served) throws Exception {
        byte[] body = Hubject.contractCreated(UUID.randomUUID().toString());
        HttpResponse<String> delivered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/webhooks/hubject"))
                .header("Content-Type", sent).header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256",
                        Hubject.SECRET, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, delivered.statusCode(), delivered.body());
        String id = new JsonPath(delivered.body()).getString("events[0].id");

        admin().get("/admin/events/" + id + "/body").then().statusCode(200)
                .header("Content-Type", served)
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", startsWith("attachment"));
    }

    @Test
    void replayPublishesTheEventAgainWithTheSameCloudEventId() {
        String id = deliver();
        Topics.awaitCloudEvent(TOPIC, id);
        awaitStatus(id, "published");

        admin().post("/admin/events/" + id + "/replay").then().statusCode(202).body("status", equalTo("pending"));

        await().atMost(Duration.ofSeconds(20)).until(() -> Topics.withCloudEventId(TOPIC, id).size() == 2);
        awaitStatus(id, "published");
        admin().post("/admin/events/" + UUID.randomUUID() + "/replay").then().statusCode(404);
    }

    @Test
    void detailTellsTheEventsHistoryWithEachReplayBeforeThePublicationItQueued() {
        String id = deliver();
        awaitStatus(id, "published");
        admin().get("/admin/events/" + id).then().statusCode(200)
                .body("history.what", contains("received", "published"))
                .body("history[0].at", equalTo(admin().get("/admin/events/" + id).path("receivedAt")));

        RelayLeases.holdElsewhere(pool);
        try {
            admin().post("/admin/events/" + id + "/replay").then().statusCode(202);
            admin().get("/admin/events/" + id).then().statusCode(200)
                    .body("history.what", contains("received", "published", "replayed", "queued"))
                    .body("history[3].at", nullValue());
        } finally {
            RelayLeases.giveBack(pool);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> Topics.withCloudEventId(TOPIC, id).size() == 2);
        awaitStatus(id, "published");

        List<Map<String, String>> history = admin().get("/admin/events/" + id).then().statusCode(200)
                .body("history.what", contains("received", "published", "replayed", "published"))
                .extract().path("history");
        List<Instant> times = history.stream().map(step -> Instant.parse(step.get("at"))).toList();
        assertEquals(times.stream().sorted().toList(), times, "oldest first: " + history);
    }

    @Test
    void anEventPublishedOverAndOverShowsItsNewestSteps() {
        String id = deliver();
        awaitStatus(id, "published");
        pool.preparedQuery("insert into event_activity (event_id, at, action) select $1, now() + i * interval '1 ms',"
                + " 'published' from generate_series(1, 150) as i").execute(Tuple.of(UUID.fromString(id)))
                .await().atMost(Duration.ofSeconds(10));

        List<String> times = admin().get("/admin/events/" + id).then().statusCode(200)
                .body("history.size()", equalTo(1 + AdminService.HISTORY_STEPS))
                .body("history[0].what", equalTo("received")).extract().path("history.at");
        Instant newest = pool.preparedQuery("select max(at) from event_activity where event_id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().atMost(Duration.ofSeconds(10)).iterator().next()
                .getOffsetDateTime(0).toInstant();
        assertEquals(newest, Instant.parse(times.get(times.size() - 1)), "the newest step comes last");
    }

    @Test
    void bulkReplayRepublishesEveryPublishedMatchAndCountsThem() {
        Instant since = Instant.now();
        String first = deliver();
        String second = deliver();
        Topics.awaitCloudEvent(TOPIC, second);
        awaitStatus(first, "published");
        awaitStatus(second, "published");

        admin().contentType("application/json")
                .body(Map.of("source", "hubject", "type", "oem.contract.created", "since", since.toString()))
                .post("/admin/replay").then().statusCode(200).body("replayed", equalTo(2));

        await().atMost(Duration.ofSeconds(20)).until(() -> Topics.withCloudEventId(TOPIC, first).size() == 2
                && Topics.withCloudEventId(TOPIC, second).size() == 2);
        admin().contentType("application/json").body(Map.of("status", "quarantined")).post("/admin/replay").then()
                .statusCode(400);
        for (String unusable : List.of("null", "[1]", "{\"sourc\":\"hubject\"}", "{\"source\":\"hubject\"} {}")) {
            admin().contentType("application/json").body(unusable).post("/admin/replay").then().statusCode(400)
                    .contentType(Problem.MEDIA_TYPE).body("reason", equalTo("bad_request"));
        }
        admin().contentType("application/json").body("{\"source\":\"" + "x".repeat(70_000) + "\"}")
                .post("/admin/replay").then().statusCode(413).contentType(Problem.MEDIA_TYPE)
                .body("reason", equalTo("too_large"));
    }

    @Test
    void quarantinedDeliveryIsListedShownAndNeitherReplayedNorReleasedWhileUnreadable() {
        byte[] unreadable = utf8("{\"eventType\":\"oem.contract.created\",\"payload\":{\"note\":\""
                + UUID.randomUUID() + "\"}}");
        String kept = Hubject.deliver(unreadable, Hubject.SECRET).statusCode(400)
                .body("reason", equalTo("malformed_body")).extract().path("quarantinedEvent");

        admin().queryParam("status", "quarantined").get("/admin/events").then().statusCode(200)
                .body("events.id", hasItem(kept));
        admin().get("/admin/events/" + kept).then().statusCode(200)
                .body("status", equalTo("quarantined"))
                .body("reason", equalTo("No event identity at /eventId"))
                .body("type", nullValue())
                .body("body", equalTo(new String(unreadable)));
        admin().post("/admin/events/" + kept + "/replay").then().statusCode(409)
                .body("reason", equalTo("not_replayable"));
        admin().post("/admin/events/" + kept + "/release").then().statusCode(409)
                .body("detail", equalTo("It still cannot be read: No event identity at /eventId"));
        assertEquals("quarantined", new EventRows(pool).byId(UUID.fromString(kept)).status());
    }

    @Test
    void onlyAQuarantinedDeliveryIsDeletedAndWithItsKeySoThatItsRetryIsKeptAgain() {
        byte[] unreadable = utf8("{\"eventType\":\"oem.contract.created\",\"payload\":{\"note\":\""
                + UUID.randomUUID() + "\"}}");
        String kept = Hubject.deliver(unreadable, Hubject.SECRET).statusCode(400).extract().path("quarantinedEvent");
        Hubject.deliver(unreadable, Hubject.SECRET).statusCode(400).body("quarantinedEvent", equalTo(kept));
        String published = deliver();

        admin().delete("/admin/events/" + published).then().statusCode(409).body("reason", equalTo("not_deleted"));
        admin().get("/admin/events/" + published).then().statusCode(200);
        admin().delete("/admin/events/" + UUID.randomUUID()).then().statusCode(404);

        admin().delete("/admin/events/" + kept).then().statusCode(204);
        admin().get("/admin/events/" + kept).then().statusCode(404);
        String keptAgain = Hubject.deliver(unreadable, Hubject.SECRET).statusCode(400).extract()
                .path("quarantinedEvent");
        assertFalse(kept.equals(keptAgain), "the retry is kept as a new quarantined delivery");
        assertEquals("quarantined", new EventRows(pool).byId(UUID.fromString(keptAgain)).status());
    }

    private static String deliver() {
        return Hubject.deliver(Hubject.contractCreated(UUID.randomUUID().toString()),
                Hubject.SECRET).statusCode(200).extract().path("events[0].id");
    }

    private void awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> new EventRows(pool).byId(UUID.fromString(id)).status().equals(status));
    }
}
