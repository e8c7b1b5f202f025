package io.webhookingest.source;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.testing.Fixtures;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Management;
import io.webhookingest.testing.Metrics;
import io.webhookingest.testing.Senders;
import io.webhookingest.testing.Topics;

/**
 * Sources managed through {@code /admin/sources}: created, given secrets, rotated, routed, disabled and deleted at run
 * time, each change applied before it is answered, checked exactly as configuration is, and never revealing a secret.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class SourceApiTest {

    static final String NAME = "gh-managed";
    static final String SECRET = "managed-github-secret-one";
    static final String NEXT_SECRET = "managed-github-secret-two";
    static final byte[] PUSH = Fixtures.bytes("github", "push.json");

    @Inject
    Pool pool;

    @Inject
    SecretUsage usage;

    @Inject
    SourceRegistry registry;

    @AfterEach
    void deleteSource() {
        Management.admin().delete("/admin/sources/" + NAME);
    }

    @Test
    void aCreatedSourceTakesDeliveriesOnceItHasASecretAndPublishesThem() {
        Management.admin().contentType("application/json").body("{\"provider\": \"github\"}")
                .put("/admin/sources/" + NAME).then().statusCode(201)
                .body("origin", equalTo("api")).body("provider", equalTo("github"))
                .body("topic", equalTo("webhooks." + NAME)).body("secrets", empty());
        deliver(SECRET).statusCode(401).body("reason", equalTo("no_secret"));

        String fingerprint = addSecret(SECRET, null).statusCode(201)
                .body("fingerprint", matchesPattern("[0-9a-f]{8}")).extract().path("fingerprint");
        Map<String, String> labels = Map.of("source", NAME, "fingerprint", fingerprint);
        double verifiedBefore = Metrics.value("webhook_ingest_secret_verifications_total", labels);
        String id = deliver(SECRET).statusCode(200).body("status", equalTo("accepted")).extract().path("events[0].id");

        Topics.awaitCloudEvent("webhooks." + NAME, id);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> Management.admin()
                .get("/admin/sources/" + NAME).then().statusCode(200)
                .body("secrets[0].fingerprint", equalTo(fingerprint))
                .body("secrets[0].lastVerifiedAt", notNullValue()));
        assertEquals(verifiedBefore + 1, Metrics.value("webhook_ingest_secret_verifications_total", labels),
                "counted once for its secret");
        await().atMost(Duration.ofSeconds(10)).until(() -> rows("select 1 from secret_use where source = $1"
                + " and fingerprint = $2", NAME, fingerprint) == 1);
    }

    @Test
    void secretsAreSealedAndNeverShown() {
        create("{\"provider\": \"github\"}");
        addSecret(SECRET, null).statusCode(201);

        String listed = Management.admin().get("/admin/sources").then().statusCode(200).extract().asString();
        String single = Management.admin().get("/admin/sources/" + NAME).then().statusCode(200).extract().asString();
        assertFalse(listed.contains(SECRET) || single.contains(SECRET), "the API never shows a secret");
        Row row = pool.preparedQuery("select sealed, key_id from source_secret where source = $1")
                .execute(Tuple.of(NAME)).await().atMost(Duration.ofSeconds(10)).iterator().next();
        String sealed = new String(row.getBuffer(0).getBytes(), StandardCharsets.ISO_8859_1);
        assertFalse(sealed.contains(SECRET), "the stored secret is sealed");
        assertEquals(8, row.getString(1).length(), "the row names its key");
    }

    @Test
    void rotationAcceptsBothSecretsUntilTheOldOnesNotAfterPassesThenOnlyTheNew() {
        create("{\"provider\": \"github\"}");
        Instant notAfter = Instant.now().plusSeconds(3);
        addSecret(SECRET, notAfter.toString()).statusCode(201).body("notAfter", equalTo(notAfter.toString()));
        addSecret(NEXT_SECRET, null).statusCode(201);

        deliver(SECRET).statusCode(200);
        deliver(NEXT_SECRET).statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(notAfter));
        deliver(SECRET).statusCode(401).body("reason", equalTo("signature_mismatch"));
        deliver(NEXT_SECRET).statusCode(200);
        Management.admin().get("/admin/sources/" + NAME).then()
                .body("secrets.find { it.notAfter != null }.expired", equalTo(true));
    }

    @Test
    void aRemovedSecretNoLongerVerifies() {
        create("{\"provider\": \"github\"}");
        String old = addSecret(SECRET, null).extract().path("fingerprint");
        addSecret(NEXT_SECRET, null).statusCode(201);
        addSecret(NEXT_SECRET, null).statusCode(409).body("reason", equalTo("duplicate_secret"));
        deliver(SECRET).statusCode(200);

        Management.admin().delete("/admin/sources/" + NAME + "/secrets/" + old).then().statusCode(204);
        deliver(SECRET).statusCode(401);
        deliver(NEXT_SECRET).statusCode(200);
        usage.write().await().atMost(Duration.ofSeconds(10));
        assertEquals(0, rows("select 1 from secret_use where source = $1 and fingerprint = $2", NAME, old),
                "a removed secret's last use is forgotten, and not written back");
        Management.admin().delete("/admin/sources/" + NAME + "/secrets/" + old).then().statusCode(404)
                .body("reason", equalTo("unknown_secret"));
    }

    @Test
    void anInvalidSourceIsRefusedWithTheReasonAndChangesNothing() {
        create("{\"provider\": \"github\", \"topic\": \"gh.events\"}");
        int revision = Management.admin().get("/admin/sources/" + NAME).then().extract().path("revision");
        refused("{\"provider\": \"gitlab\"}", "unknown provider 'gitlab'");
        refused("{\"provider\": \"github\", \"colour\": \"blue\"}", "ingest.sources." + NAME + ".colour");
        refused("{\"provider\": \"github\", \"timestamp-tolerance\": \"soon\"}", "timestamp-tolerance");
        refused("{\"provider\": \"hmac\"}", "signature.header is required for provider hmac");
        refused("{\"provider\": \"github\", \"routes\": [\"push\"]}", "routes");
        refused("{\"provider\": \"github\", \"secrets\": [\"inline\"]}", "POST /admin/sources/{name}/secrets");
        refused("{\"provider\": \"github\", \"max-body-size\": \"2G\"}", "up to ingest.max-body-size");
        refused("[1, 2]", "JSON object");
        refused("{\"provider\": \"github\", \"routes\": [" + String.join(", ",
                Collections.nCopies(256, "\"push=gh.pushes\"")) + "]}", "at most 256 settings");
        Management.admin().contentType("application/json").body("{\"provider\": ").put("/admin/sources/" + NAME)
                .then().statusCode(400).body("reason", equalTo("bad_request"));

        Management.admin().get("/admin/sources/" + NAME).then().statusCode(200).body("revision", equalTo(revision))
                .body("topic", equalTo("gh.events"));
    }

    @Test
    void aDeliveryInFlightFinishesWithTheVersionOfItsSourceItStartedWith() throws IOException {
        create("{\"provider\": \"github\"}");
        String fingerprint = addSecret(SECRET, null).statusCode(201).extract().path("fingerprint");
        byte[] body = Fixtures.replacing("github", "push.json", "59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5",
                UUID.randomUUID().toString());
        StringBuilder head = new StringBuilder("POST /webhooks/" + NAME + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n");
        Senders.github(SECRET, "push", body).forEach((name, value) -> head.append(name).append(": ").append(value)
                .append("\r\n"));
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();

            Management.admin().delete("/admin/sources/" + NAME + "/secrets/" + fingerprint).then().statusCode(204);
            deliver(SECRET).statusCode(401);
            out.write(body, body.length / 2, body.length - body.length / 2);
            out.flush();
            assertEquals("HTTP/1.1 200 OK", new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine(), "verified with the secret it was sent under");
        }
    }

    @Test
    void aSecretTheProviderCannotUseIsRefusedWithoutEchoingIt() {
        create("{\"provider\": \"standard-webhooks\"}");
        addSecret("not*base64!", null).statusCode(400).body("detail", containsString("base64"))
                .body("detail", org.hamcrest.Matchers.not(containsString("not*base64!")));
        Management.admin().get("/admin/sources/" + NAME).then().body("secrets", empty());
        addSecret(SECRET, Instant.now().minusSeconds(1).toString()).statusCode(400)
                .body("detail", containsString("notAfter"));
    }

    @Test
    void routesChosenThroughTheApiDecideTheTopicAndRecordOnly() {
        create("{\"provider\": \"github\", \"routes\": [\"ping=record-only\", \"pu*=gh.pushes\"]}");
        addSecret(SECRET, null).statusCode(201);

        String pushed = deliver(SECRET, "push").statusCode(200).extract().path("events[0].id");
        Topics.awaitCloudEvent("gh.pushes", pushed);
        deliver(SECRET, "ping").statusCode(200).body("events[0].status", equalTo("recorded"));
        Management.admin().get("/admin/sources/" + NAME).then()
                .body("routes", equalTo(List.of("ping=record-only", "pu*=gh.pushes")));
    }

    @Test
    void aDisabledSourceAnswers404AndKeepsItsEventsUntilEnabledAgain() {
        create("{\"provider\": \"github\"}");
        addSecret(SECRET, null).statusCode(201);
        String id = deliver(SECRET).statusCode(200).extract().path("events[0].id");

        Management.admin().post("/admin/sources/" + NAME + "/disable").then().statusCode(200)
                .body("enabled", equalTo(false));
        deliver(SECRET).statusCode(404);
        Management.admin().get("/admin/events/" + id).then().statusCode(200);

        Management.admin().post("/admin/sources/" + NAME + "/enable").then().statusCode(200)
                .body("enabled", equalTo(true));
        deliver(SECRET).statusCode(200).body("status", equalTo("accepted"));
    }

    @Test
    void aDeletedSourceIsUnknownAndItsEventsStay() {
        create("{\"provider\": \"github\"}");
        addSecret(SECRET, null).statusCode(201);
        String id = deliver(SECRET).statusCode(200).extract().path("events[0].id");

        Management.admin().delete("/admin/sources/" + NAME).then().statusCode(204);
        deliver(SECRET).statusCode(404);
        Management.admin().get("/admin/sources/" + NAME).then().statusCode(404).body("reason",
                equalTo("unknown_source"));
        Management.admin().get("/admin/events/" + id).then().statusCode(200);
        assertEquals(0, rows("select 1 from source_secret where source = $1", NAME));
    }

    @Test
    void aCommittedChangeIsAnsweredAsDoneWhenThisInstanceCannotReadItBackYet() {
        pool.query("alter table source_secret rename to source_secret_away").execute().await()
                .atMost(Duration.ofSeconds(10));
        try {
            Management.admin().contentType("application/json").body("{\"provider\": \"github\"}")
                    .put("/admin/sources/" + NAME).then().statusCode(201)
                    .body("applied", equalTo(false)).body("detail", containsString("committed"));
        } finally {
            pool.query("alter table source_secret_away rename to source_secret").execute().await()
                    .atMost(Duration.ofSeconds(10));
        }
        registry.reload().await().atMost(Duration.ofSeconds(10));
        Management.admin().get("/admin/sources/" + NAME).then().statusCode(200).body("provider", equalTo("github"));
    }

    @Test
    void configuredSourcesAreListedReadOnly() {
        Management.admin().get("/admin/sources/hubject").then().statusCode(200)
                .body("origin", equalTo("config")).body("provider", equalTo("hubject"))
                .body("secrets", hasSize(2)).body("secrets[0].fingerprint", matchesPattern("[0-9a-f]{8}"))
                .body("settings", nullValue());
        Management.admin().contentType("application/json").body("{\"provider\": \"github\"}")
                .put("/admin/sources/hubject").then().statusCode(409).body("reason", equalTo("configured_source"));
        Management.admin().delete("/admin/sources/hubject").then().statusCode(409);
        addSecret("hubject", "another", null).statusCode(409);
        Management.admin().get("/admin/sources").then().statusCode(200)
                .body("sources.find { it.name == 'hubject' }.origin", equalTo("config"));
    }

    @Test
    void theSourceApiNeedsTheAdminToken() {
        Management.given().get("/admin/sources").then().statusCode(401);
        Management.given().contentType("application/json").body("{\"provider\": \"github\"}")
                .put("/admin/sources/" + NAME).then().statusCode(401);
        Management.admin().get("/admin/sources/" + NAME).then().statusCode(404);
    }

    private static void create(String document) {
        Management.admin().contentType("application/json").body(document).put("/admin/sources/" + NAME)
                .then().statusCode(201);
    }

    private static void refused(String document, String reason) {
        Management.admin().contentType("application/json").body(document).put("/admin/sources/" + NAME).then()
                .statusCode(400).contentType("application/problem+json").body("reason", equalTo("invalid_source"))
                .body("detail", containsString(reason));
    }

    private static ValidatableResponse addSecret(String secret, String notAfter) {
        return addSecret(NAME, secret, notAfter);
    }

    private static ValidatableResponse addSecret(String source, String secret, String notAfter) {
        String body = notAfter == null ? "{\"secret\": \"" + secret + "\"}"
                : "{\"secret\": \"" + secret + "\", \"notAfter\": \"" + notAfter + "\"}";
        return Management.admin().contentType("application/json").body(body)
                .post("/admin/sources/" + source + "/secrets").then();
    }

    private static ValidatableResponse deliver(String secret) {
        return deliver(secret, "push");
    }

    private static ValidatableResponse deliver(String secret, String event) {
        byte[] body = Fixtures.replacing("github", "push.json", "59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5",
                UUID.randomUUID().toString());
        return given().contentType("application/json").headers(Senders.github(secret, event, body)).body(body)
                .post("/webhooks/" + NAME).then();
    }

    private int rows(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(Duration.ofSeconds(10)).rowCount();
    }
}
