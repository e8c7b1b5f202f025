package io.webhookingest.observe;

import static io.restassured.RestAssured.given;
import static io.webhookingest.testing.Signatures.hmacHex;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.testing.Fixtures;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Management;
import io.webhookingest.testing.Metrics;

/**
 * Refused deliveries are logged for the operator with what was wrong and what the source expected, never with their
 * body or a secret; sampled per source under a flood, and expired after the retention.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class RejectionLogTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    RejectionLog log;

    @Inject
    Pool pool;

    @BeforeEach
    void emptyLog() {
        log.write().await().atMost(WAIT);
        pool.query("delete from rejection").execute().await().atMost(WAIT);
    }

    /**
     * Writes what is logged until the log holds this many entries: a refusal is handed to the log just after its
     * answer is written, so the answer can arrive first.
     */
    private void awaitLogged(String where, int entries) {
        await().atMost(WAIT).until(() -> {
            log.write().await().atMost(WAIT);
            return count("select 1 from rejection where " + where) >= entries;
        });
    }

    @Test
    void aForgedDeliveryIsLoggedWithItsReasonAndTheExpectedSchemeButNotItsBody() throws Exception {
        byte[] body = Fixtures.bytes("hubject", "contract-created.json");
        given().contentType("application/json").header("X-Hubject-Signature", "sha256=" + "0".repeat(64))
                .header("X-Trace-Me", "yes").body(body).post("/webhooks/hubject").then().statusCode(401);
        awaitLogged("source = 'hubject'", 1);

        String page = Management.admin().get("/admin/rejections?source=hubject").then().statusCode(200)
                .body("rejections", hasSize(1))
                .body("rejections[0].status", equalTo(401))
                .body("rejections[0].reason", equalTo("signature_mismatch"))
                .body("rejections[0].detail", containsString("does not match"))
                .body("rejections[0].hint", containsString("X-Hubject-Signature, X-Operator-Signature or"
                        + " payload-signature must be sha256=<64 hex>"))
                .body("rejections[0].hint", containsString("none of the 2 configured secrets matched"))
                .body("rejections[0].remoteAddress", equalTo("127.0.0.1"))
                .body("rejections[0].headerNames", hasItem("X-Hubject-Signature"))
                .body("rejections[0].headerNames", hasItem("X-Trace-Me"))
                .body("rejections[0].bodySize", equalTo(body.length))
                .body("rejections[0].bodySha256", equalTo(sha256(body)))
                .body("next", nullValue()).extract().asString();
        assertFalse(page.contains("caf56bee-f90d") || page.contains("TESTEMAID"), "the body is never shown");
        assertFalse(page.contains("test-hubject-secret"), "no secret is shown");
        for (String secret : List.of(Hubject.SECRET, Hubject.NEXT_SECRET)) {
            assertFalse(page.contains(hmacHex("HmacSHA256", secret, body)), "no expected MAC is shown");
        }
    }

    @Test
    void aSignedDeliveryThatCannotBeReadIsLoggedWithItsQuarantinedEvent() {
        byte[] body = "not json at all".getBytes(StandardCharsets.UTF_8);
        String kept = given().contentType("application/json")
                .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Hubject.SECRET, body)).body(body)
                .post("/webhooks/hubject").then().statusCode(400).extract().path("quarantinedEvent");
        awaitLogged("source = 'hubject' and status = 400", 1);

        Management.admin().get("/admin/rejections?source=hubject").then().statusCode(200)
                .body("rejections[0].reason", equalTo("malformed_body"))
                .body("rejections[0].hint", containsString("quarantined event " + kept))
                .body("rejections[0].bodySize", equalTo(body.length));
    }

    @Test
    void unknownSourcesAndOversizedBodiesAreLoggedWithoutReadingTheBody() throws IOException {
        given().contentType("application/json").body("{}").post("/webhooks/no-such-source").then().statusCode(404);
        assertEquals("HTTP/1.1 413 Request Entity Too Large", declareOnly("/webhooks/hubject", 20_000_000));
        awaitLogged("source in ('no-such-source', 'hubject')", 2);

        Management.admin().get("/admin/rejections?source=no-such-source").then().statusCode(200)
                .body("rejections[0].status", equalTo(404))
                .body("rejections[0].reason", equalTo("unknown_source"))
                .body("rejections[0].hint", containsString("PUT /admin/sources/{name}"))
                .body("rejections[0].bodySha256", nullValue());
        Management.admin().get("/admin/rejections?source=hubject").then().statusCode(200)
                .body("rejections[0].status", equalTo(413))
                .body("rejections[0].hint", containsString("at most"))
                .body("rejections[0].bodySize", nullValue());
    }

    @Test
    void aControlCharacterInTheSourceNameCannotKeepTheLogEmpty() {
        given().urlEncodingEnabled(false).body("{}").post("/webhooks/nul%00name").then().statusCode(404);
        given().body("{}").post("/webhooks/plain-name").then().statusCode(404);
        awaitLogged("source in ('nul\uFFFDname', 'plain-name')", 2);
    }

    @Test
    void aFloodIsSampledPerSourceAndSecondAndTheRestCounted() {
        double unloggedBefore = Metrics.value("webhook_ingest_rejections_unlogged_total", Map.of());
        int flood = 150;
        long earlier = Instant.now().getEpochSecond();
        await().atMost(WAIT).until(() -> Instant.now().getEpochSecond() > earlier);
        long firstSecond = Instant.now().getEpochSecond();
        for (int i = 0; i < flood; i++) {
            given().body("{}").post("/webhooks/flood-" + i).then().statusCode(404);
        }
        long seconds = Instant.now().getEpochSecond() - firstSecond + 1;
        awaitLogged("source like 'flood-%'", 20);

        int logged = count("select 1 from rejection where source like 'flood-%'");
        assertTrue(logged >= 20 && logged <= 20 * seconds, logged + " logged over " + seconds + " s");
        assertEquals(unloggedBefore + flood - logged, Metrics.value("webhook_ingest_rejections_unlogged_total",
                Map.of()), "what was not logged is counted");
        Management.admin().get("/admin/rejections?limit=5").then().statusCode(200)
                .body("rejections", hasSize(5)).body("next", notNullValue());
    }

    @Test
    void withoutTheLogTableTheAnswerIsUnchangedAndTheEntryCounted() {
        double unloggedBefore = Metrics.value("webhook_ingest_rejections_unlogged_total", Map.of());
        pool.query("alter table rejection rename to rejection_away").execute().await().atMost(WAIT);
        try {
            given().body("{}").post("/webhooks/while-away").then().statusCode(404)
                    .body("reason", equalTo("unknown_source"));
            await().atMost(WAIT).until(() -> {
                log.write().onFailure().recoverWithNull().await().atMost(WAIT);
                return Metrics.value("webhook_ingest_rejections_unlogged_total", Map.of()) > unloggedBefore;
            });
        } finally {
            pool.query("alter table rejection_away rename to rejection").execute().await().atMost(WAIT);
        }
        assertEquals(unloggedBefore + 1, Metrics.value("webhook_ingest_rejections_unlogged_total", Map.of()));
    }

    @Test
    void pagesFollowOneAnotherNewestFirst() {
        for (int i = 0; i < 3; i++) {
            given().body("{}").post("/webhooks/paged-" + i).then().statusCode(404);
        }
        awaitLogged("source like 'paged-%'", 3);

        String next = Management.admin().get("/admin/rejections?source=&before=&limit=2").then().statusCode(200)
                .body("rejections.source", equalTo(List.of("paged-2", "paged-1"))).extract().path("next");
        Management.admin().get("/admin/rejections?limit=2&before=" + next).then().statusCode(200)
                .body("rejections.source", equalTo(List.of("paged-0"))).body("next", nullValue());
        Management.admin().get("/admin/rejections?before=soon").then().statusCode(400)
                .body("reason", equalTo("bad_request"));
    }

    @Test
    void entriesPastTheRetentionAreDeleted() {
        insertAged("aged-source", Duration.ofDays(8));
        insertAged("recent-source", Duration.ofDays(6));

        log.expireBatches().await().atMost(WAIT);

        assertEquals(0, count("select 1 from rejection where source = 'aged-source'"), "older than 7 days");
        assertEquals(1, count("select 1 from rejection where source = 'recent-source'"));
    }

    private void insertAged(String source, Duration age) {
        pool.preparedQuery("insert into rejection (received_at, source, status, reason, detail, header_names)"
                + " values ($1, $2, 404, 'unknown_source', 'No webhook source', '')")
                .execute(Tuple.of(Instant.now().minus(age).atOffset(ZoneOffset.UTC), source)).await().atMost(WAIT);
    }

    private int count(String sql) {
        return pool.query(sql).execute().await().atMost(WAIT).rowCount();
    }

    /** Sends only the request head, declaring a body of this length, and reads the status line of the answer. */
    private static String declareOnly(String path, long length) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != -1 && c != '\r'; ) {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    private static String sha256(byte[] body) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }
}
