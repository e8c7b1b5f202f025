package io.webhookingest.ingest;

import static io.restassured.RestAssured.given;
import static io.webhookingest.testing.Signatures.hmacHex;
import static io.webhookingest.testing.Signatures.utf8;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.webhookingest.testing.EventRows;
import io.webhookingest.testing.KafkaBrokerResource;

/**
 * Each way a delivery can be refused, with its status and reason. Unverified deliveries (401) store nothing; signed
 * deliveries that cannot be read (400) are kept whole as one quarantined row, never published.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class WebhookStatusTest {

    static final String SECRET = HubjectDeliveryTest.SECRET;
    static final String SIGNATURE = HubjectDeliveryTest.SIGNATURE;

    @Inject
    Pool pool;

    /**
     * One refused delivery.
     *
     * @param name     what is wrong
     * @param body     the body, given the event id to embed
     * @param sign     the signature header value, given the body; null leaves the header out
     * @param status   the expected status
     * @param reason   the expected problem reason
     */
    record Case(String name, Function<String, byte[]> body, Function<byte[], String> sign, int status,
            String reason) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> refusals() {
        Function<String, byte[]> valid = HubjectDeliveryTest::contractCreated;
        Function<byte[], String> signed = body -> "sha256=" + hmacHex("HmacSHA256", SECRET, body);
        return Stream.of(
                new Case("no signature header", valid, body -> null, 401, "missing_signature"),
                new Case("signature by another secret", valid,
                        body -> "sha256=" + hmacHex("HmacSHA256", "not-the-secret", body), 401, "signature_mismatch"),
                new Case("body changed after signing", valid,
                        body -> signed.apply(utf8(new String(body).replace("TESTEMAID", "OTHEREMAID"))), 401,
                        "signature_mismatch"),
                new Case("sha1 prefix", valid, body -> "sha1=" + hmacHex("HmacSHA1", SECRET, body), 401,
                        "unsupported_scheme"),
                new Case("bare hex without prefix", valid, body -> hmacHex("HmacSHA256", SECRET, body), 401,
                        "unsupported_scheme"),
                new Case("odd-length hex", valid, body -> signed.apply(body).substring(0, 70), 401,
                        "malformed_signature"),
                new Case("non-hex digest", valid, body -> "sha256=" + "zz".repeat(32), 401, "malformed_signature"),
                new Case("empty digest", valid, body -> "sha256=", 401, "malformed_signature"),
                new Case("huge signature value", valid, body -> "sha256=" + "ab".repeat(5000), 401,
                        "malformed_signature"),
                new Case("truncated digest", valid, body -> signed.apply(body).substring(0, 69), 401,
                        "signature_mismatch"),
                new Case("body is not JSON", id -> utf8("eventId=" + id), signed, 400, "malformed_body"),
                new Case("body is a JSON array", id -> utf8("[{\"eventId\":\"" + id + "\"}]"), signed, 400,
                        "malformed_body"),
                new Case("body has trailing garbage",
                        id -> utf8("{\"eventId\":\"" + id + "\",\"eventType\":\"x\"} {}"), signed, 400,
                        "malformed_body"),
                new Case("no eventId", id -> utf8("{\"eventType\":\"oem.contract.created\",\"note\":\"" + id + "\"}"),
                        signed, 400, "malformed_body"),
                new Case("null eventId", id -> utf8("{\"eventId\":null,\"eventType\":\"x\",\"n\":\"" + id + "\"}"),
                        signed, 400, "malformed_body"),
                new Case("eventId is an object",
                        id -> utf8("{\"eventId\":{\"id\":\"" + id + "\"},\"eventType\":\"x\"}"), signed, 400,
                        "malformed_body"),
                new Case("eventId too long",
                        id -> utf8("{\"eventId\":\"" + id + "x".repeat(2000) + "\",\"eventType\":\"x\"}"), signed,
                        400, "malformed_body"),
                new Case("eventId with NUL", id -> utf8("{\"eventId\":\"" + id + "\\u0000\",\"eventType\":\"x\"}"),
                        signed, 400, "malformed_body"),
                new Case("eventId with CR LF",
                        id -> utf8("{\"eventId\":\"" + id + "\\r\\nX-Forged: 1\",\"eventType\":\"x\"}"), signed, 400,
                        "malformed_body"),
                new Case("eventId with a C1 control",
                        id -> utf8("{\"eventId\":\"" + id + "\\u0085\",\"eventType\":\"x\"}"), signed, 400,
                        "malformed_body"),
                new Case("eventId with a bidi override",
                        id -> utf8("{\"eventId\":\"" + id + "\\u202egpj.exe\",\"eventType\":\"x\"}"), signed, 400,
                        "malformed_body"),
                new Case("1000 three-byte characters in eventId",
                        id -> utf8("{\"eventId\":\"" + id + "\u20ac".repeat(1000) + "\",\"eventType\":\"x\"}"),
                        signed, 400, "malformed_body"),
                new Case("eventType with LF", id -> utf8("{\"eventId\":\"" + id + "\",\"eventType\":\"a\\nb\"}"),
                        signed, 400, "malformed_body"),
                new Case("subject with a tab", id -> utf8("{\"eventId\":\"" + id
                        + "\",\"eventType\":\"x\",\"payload\":{\"emaid\":\"DE\\tX\"}}"), signed, 400, "malformed_body"),
                new Case("no eventType", id -> utf8("{\"eventId\":\"" + id + "\"}"), signed, 400, "malformed_body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusedDeliveryIsAnsweredWithAProblemAndOnlyASignedOneIsKeptInQuarantine(Case refusal) {
        String eventId = UUID.randomUUID().toString();
        byte[] body = refusal.body().apply(eventId);
        String signature = refusal.sign().apply(body);
        EventRows rows = new EventRows(pool);
        long before = rows.countBySource("hubject");

        RequestSpecification request = given().contentType("application/json").body(body);
        if (signature != null) {
            request.header(SIGNATURE, signature);
        }
        String kept = request.post("/webhooks/hubject").then()
                .statusCode(refusal.status())
                .contentType(Problem.MEDIA_TYPE)
                .body("status", equalTo(refusal.status()))
                .body("reason", equalTo(refusal.reason()))
                .body("detail", not(emptyOrNullString()))
                .extract().path("quarantinedEvent");

        assertEquals(0, rows.bySourceAndIdentity("hubject", eventId).size(), "no event under its identity");
        if (refusal.status() == 401) {
            assertNull(kept);
            assertEquals(before, rows.countBySource("hubject"), "an unverified delivery stores nothing");
        } else {
            assertEquals(before + 1, rows.countBySource("hubject"), "a signed delivery is kept once");
            EventRows.EventRow row = rows.byId(UUID.fromString(kept));
            assertEquals("quarantined", row.status());
            assertArrayEquals(body, row.body(), "kept byte for byte");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/webhooks/unknown", "/webhooks/unknown/with/tail"})
    void unknownSourceIsNotFound(String path) {
        byte[] body = HubjectDeliveryTest.contractCreated(UUID.randomUUID().toString());
        given().header(SIGNATURE, "sha256=" + hmacHex("HmacSHA256", SECRET, body)).body(body).post(path).then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("reason", equalTo("unknown_source"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH"})
    void otherMethodsAreNotAllowed(String method) {
        given().body("{}").request(method, "/webhooks/hubject").then()
                .statusCode(405)
                .contentType(Problem.MEDIA_TYPE)
                .header("Allow", "POST")
                .body("reason", equalTo("method_not_allowed"));
    }
}
