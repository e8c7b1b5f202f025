package io.webhookingest.ingest;

import static io.restassured.RestAssured.given;
import static io.webhookingest.testing.Signatures.hmacHex;
import static io.webhookingest.testing.Topics.header;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.StreamResetException;
import io.vertx.mutiny.sqlclient.Pool;
import io.webhookingest.testing.EventRows;
import io.webhookingest.testing.EventRows.EventRow;
import io.webhookingest.testing.Fixtures;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Topics;

/** A Hubject delivery, end to end: HTTP → Postgres → Kafka, against the real database and broker. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class HubjectDeliveryTest {

    static final String SECRET = Hubject.SECRET;
    static final String NEXT_SECRET = Hubject.NEXT_SECRET;
    static final String TOPIC = Hubject.TOPIC;
    static final String SIGNATURE = Hubject.SIGNATURE;

    @Inject
    Pool pool;

    @TestHTTPResource("/webhooks/hubject")
    URI endpoint;

    EventRows rows;

    @BeforeEach
    void setUp() {
        rows = new EventRows(pool);
    }

    @Test
    void acceptedDeliveryIsStoredVerbatimAndPublishedOnceAsCloudEvent() {
        String eventId = UUID.randomUUID().toString();
        byte[] body = contractCreated(eventId);
        Instant before = Instant.now();

        String id = deliver(body, SECRET)
                .statusCode(200)
                .contentType("application/json")
                .body("status", equalTo("accepted"))
                .body("events", hasSize(1))
                .body("events[0].status", equalTo("accepted"))
                .extract().path("events[0].id");

        List<EventRow> stored = rows.bySourceAndIdentity("hubject", eventId);
        assertEquals(1, stored.size());
        EventRow row = stored.get(0);
        assertEquals(id, row.id().toString());
        assertArrayEquals(body, row.body(), "the raw bytes are stored unchanged");
        assertEquals("oem.contract.created", row.type());
        assertEquals("TESTEMAID", row.subject());
        assertEquals("sha256=" + hmacHex("HmacSHA256", SECRET, body),
                row.headers().getJsonArray("x-hubject-signature").getString(0));
        assertFalse(row.headers().toString().contains(SECRET), "no secret is stored");

        ConsumerRecord<String, byte[]> record = Topics.awaitCloudEvent(TOPIC, id);
        assertEquals("TESTEMAID", record.key());
        assertArrayEquals(body, record.value(), "the record value is the provider's JSON, byte for byte");
        assertEquals("1.0", header(record, "ce_specversion"));
        assertEquals("/webhooks/hubject", header(record, "ce_source"));
        assertEquals("oem.contract.created", header(record, "ce_type"));
        assertEquals("TESTEMAID", header(record, "ce_subject"));
        assertEquals("application/json", header(record, "content-type"));
        Instant time = Instant.parse(header(record, "ce_time"));
        assertFalse(time.isBefore(before.minusSeconds(1)) || time.isAfter(Instant.now()), "ce_time is receipt time");

        awaitPublished(eventId);
        assertEquals(1, Topics.withCloudEventId(TOPIC, id).size());
    }

    @Test
    void redeliveryIsAnsweredDuplicateWithTheSameIdAndPublishedOnce() {
        String eventId = UUID.randomUUID().toString();
        byte[] body = contractCreated(eventId);
        String id = deliver(body, SECRET).statusCode(200).extract().path("events[0].id");
        Topics.awaitCloudEvent(TOPIC, id);

        deliver(body, SECRET)
                .statusCode(200)
                .body("status", equalTo("duplicate"))
                .body("events[0].id", equalTo(id))
                .body("events[0].status", equalTo("duplicate"));

        assertOnlyOneEventAfterRelayMovedOn(eventId, id);
    }

    @Test
    void sameEventIdWithDifferentBytesIsADuplicate() {
        String eventId = UUID.randomUUID().toString();
        String id = deliver(contractCreated(eventId), SECRET).statusCode(200).extract().path("events[0].id");
        byte[] reformatted = ("{\"eventType\":\"oem.contract.updated\",\"eventId\":\"" + eventId
                + "\",\"payload\":{\"emaid\":\"OTHER\"}}").getBytes();

        deliver(reformatted, SECRET).statusCode(200).body("status", equalTo("duplicate"))
                .body("events[0].id", equalTo(id));

        assertOnlyOneEventAfterRelayMovedOn(eventId, id);
        assertEquals("oem.contract.created", rows.bySourceAndIdentity("hubject", eventId).get(0).type(),
                "the first delivery's event is kept");
    }

    @Test
    void concurrentIdenticalDeliveriesCreateExactlyOneEvent() {
        String eventId = UUID.randomUUID().toString();
        byte[] body = contractCreated(eventId);
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header(SIGNATURE, "sha256=" + hmacHex("HmacSHA256", SECRET, body))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();

        List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, 24)
                .mapToObj(i -> client.sendAsync(request, HttpResponse.BodyHandlers.ofString())).toList();
        List<JsonPath> answers = responses.stream().map(CompletableFuture::join)
                .peek(response -> assertEquals(200, response.statusCode(), response.body()))
                .map(response -> new JsonPath(response.body())).toList();

        assertEquals(1, answers.stream().filter(a -> a.getString("status").equals("accepted")).count());
        assertEquals(23, answers.stream().filter(a -> a.getString("status").equals("duplicate")).count());
        assertEquals(1, answers.stream().map(a -> a.getString("events[0].id")).distinct().count(),
                "every answer names the same event");
        String id = answers.get(0).getString("events[0].id");
        assertOnlyOneEventAfterRelayMovedOn(eventId, id);
    }

    @Test
    void largeBodyOverHttp2IsStoredWhole() throws Exception {
        byte[] body = BodyLimitTest.sizedEvent(300 * 1024);
        String eventId = new JsonPath(new String(body, StandardCharsets.UTF_8)).getString("eventId");
        Vertx vertx = Vertx.vertx();
        try {
            var http2 = vertx.createHttpClient(new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
            HttpClientResponse response = http2.request(HttpMethod.POST, endpoint.getPort(), endpoint.getHost(),
                    endpoint.getPath())
                    .compose(request -> request.putHeader(SIGNATURE, "sha256=" + hmacHex("HmacSHA256", SECRET, body))
                            .send(Buffer.buffer(body)))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(HttpVersion.HTTP_2, response.version());
            assertEquals(200, response.statusCode());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        assertArrayEquals(body, rows.bySourceAndIdentity("hubject", eventId).get(0).body());
    }

    /** On HTTP/2 a refusal before the body is read ends the stream, and the sender need not send the rest. */
    @Test
    void refusalOverHttp2ComesBeforeTheBodyAndEndsTheStream() throws Exception {
        byte[] body = new byte[5 * 1024 * 1024];
        Vertx vertx = Vertx.vertx();
        CompletableFuture<Throwable> reset = new CompletableFuture<>();
        try {
            var http2 = vertx.createHttpClient(new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
            HttpClientResponse response = http2.request(HttpMethod.POST, endpoint.getPort(), endpoint.getHost(),
                    "/webhooks/nowhere")
                    .compose(request -> {
                        request.exceptionHandler(reset::complete);
                        request.putHeader("Content-Length", Integer.toString(body.length));
                        Future<HttpClientResponse> answer = request.response();
                        request.write(Buffer.buffer(body));
                        return answer;
                    })
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(HttpVersion.HTTP_2, response.version());
            assertEquals(404, response.statusCode());
            StreamResetException stopped = assertInstanceOf(StreamResetException.class,
                    reset.get(10, TimeUnit.SECONDS), "the server ends the stream rather than read the body");
            assertEquals(0, stopped.getCode(), "with NO_ERROR");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void signatureMadeWithTheNextSecretIsAcceptedDuringRotation() {
        String eventId = UUID.randomUUID().toString();
        deliver(contractCreated(eventId), NEXT_SECRET).statusCode(200).body("status", equalTo("accepted"));
        assertEquals(1, rows.bySourceAndIdentity("hubject", eventId).size());
    }

    @Test
    void subjectFallsBackToRootCertificateIdThenToEventId() {
        String eventId = UUID.randomUUID().toString();
        byte[] rootCert = Fixtures.replacing("hubject", "root-cert-added.json",
                "\"eventId\":\"b1b86334-7c74-4ccc-b78d-d4f773d3b559\"", "\"eventId\":\"" + eventId + "\"");
        deliver(rootCert, SECRET).statusCode(200);
        assertEquals("b1b86334-7c74-4ccc-b78d-d4f773d3b559",
                rows.bySourceAndIdentity("hubject", eventId).get(0).subject());

        String bareId = UUID.randomUUID().toString();
        deliver(("{\"eventId\":\"" + bareId + "\",\"eventType\":\"mo.prov.cert.deleted\",\"payload\":{}}").getBytes(),
                SECRET).statusCode(200);
        EventRow bare = rows.bySourceAndIdentity("hubject", bareId).get(0);
        assertEquals(bareId, bare.subject());
        assertEquals("mo.prov.cert.deleted", bare.type(), "types missing from the documented list are accepted");
    }

    /**
     * Redeliveries never reach the relay, and the relay publishes in id order: once an event sent afterwards is on
     * the topic, a second record for the first event would have been published already.
     */
    private void assertOnlyOneEventAfterRelayMovedOn(String eventId, String id) {
        String marker = deliver(contractCreated(UUID.randomUUID().toString()), SECRET).statusCode(200)
                .extract().path("events[0].id");
        Topics.awaitCloudEvent(TOPIC, marker);
        assertEquals(1, rows.bySourceAndIdentity("hubject", eventId).size(), "one row");
        assertEquals(1, Topics.withCloudEventId(TOPIC, id).size(), "one record");
        awaitPublished(eventId);
    }

    private void awaitPublished(String eventId) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> rows.bySourceAndIdentity("hubject", eventId).get(0).status().equals("published"));
        assertNull(rows.bySourceAndIdentity("hubject", eventId).get(0).value(), "the value is the stored body");
    }

    static byte[] contractCreated(String eventId) {
        return Hubject.contractCreated(eventId);
    }

    static io.restassured.response.ValidatableResponse deliver(byte[] body, String secret) {
        return Hubject.deliver(body, secret);
    }
}
