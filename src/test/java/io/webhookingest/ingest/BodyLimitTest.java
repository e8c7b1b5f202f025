package io.webhookingest.ingest;

import static io.restassured.RestAssured.given;
import static io.webhookingest.testing.Signatures.hmacHex;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.KafkaBrokerResource;

/** Bodies over a source's limit are refused with 413, before they are read when their length is declared. */
@QuarkusTest
@TestProfile(BodyLimitTest.Limits.class)
@WithTestResource(KafkaBrokerResource.class)
class BodyLimitTest {

    /**
     * A small default, a smaller source, a source allowed more than the default, and one allowed more than the HTTP
     * server's own 10M default limit.
     */
    public static class Limits implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "ingest.max-body-size", "64K",
                    "ingest.sources.hubject.max-body-size", "2K",
                    "ingest.sources.bulk.provider", "hubject",
                    "ingest.sources.bulk.secrets", Hubject.SECRET,
                    "ingest.sources.bulk.max-body-size", "256K",
                    "ingest.sources.archive.provider", "hubject",
                    "ingest.sources.archive.secrets", Hubject.SECRET,
                    "ingest.sources.archive.max-body-size", "12M",
                    "ingest.sources.plain.provider", "hubject",
                    "ingest.sources.plain.secrets", Hubject.SECRET);
        }
    }

    @TestHTTPResource("/")
    URI root;

    @Test
    void declaredLengthOverTheSourceLimitIsRefusedBeforeTheBodyIsRead() {
        post("hubject", sizedEvent(2 * 1024 + 1))
                .statusCode(413).contentType(Problem.MEDIA_TYPE)
                .body("reason", equalTo("too_large"))
                .body("detail", equalTo("This source accepts bodies of at most 2048 bytes"));
        post("hubject", sizedEvent(2 * 1024)).statusCode(200);
    }

    @Test
    void undeclaredLengthIsCheckedOnceRead() throws Exception {
        byte[] body = sizedEvent(3 * 1024);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                root.resolve("/webhooks/hubject"))
                .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Hubject.SECRET, body))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
        assertEquals(Problem.MEDIA_TYPE, response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.body().contains("\"reason\":\"too_large\""), response.body());
    }

    @Test
    void aSourceMayAcceptMoreThanTheDefault() {
        post("bulk", sizedEvent(200 * 1024)).statusCode(200).body("status", equalTo("accepted"));
        post("bulk", sizedEvent(300 * 1024)).statusCode(413).body("reason", equalTo("too_large"));
    }

    @Test
    void aSourceLimitAboveTheHttpServerDefaultIsHonoured() {
        post("archive", sizedEvent(11 * 1024 * 1024)).statusCode(200).body("status", equalTo("accepted"));
    }

    @Test
    void sourcesWithoutTheirOwnLimitUseTheDefault() {
        post("plain", sizedEvent(64 * 1024)).statusCode(200);
        post("plain", sizedEvent(64 * 1024 + 1)).statusCode(413).body("reason", equalTo("too_large"));
    }

    /**
     * Unknown sources, other methods, other paths and oversized declared bodies are answered from the request line and
     * headers alone: a sender declaring 5 MB and sending none of it gets its answer, and the connection is closed, so
     * nothing is read.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"POST /webhooks/nowhere,404,unknown_source", "POST /webhooks/nowhere/with/tail,404,unknown_source",
            "PUT /webhooks/hubject,405,method_not_allowed", "POST /admin/events,404,not_found",
            "POST /q/health/ready,404,not_found", "POST /webhooks/hubject,413,too_large"})
    void refusalsComeBeforeTheBodyIsReadAndCloseTheConnection(String requestLine, int status, String reason)
            throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 5000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer);
            assertTrue(answer.contains("\"reason\":\"" + reason + "\""), answer);
        }
    }

    /** A signed-shape Hubject event of exactly {@code size} bytes. */
    static byte[] sizedEvent(int size) {
        String head = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventType\":\"oem.contract.created\",\"pad\":\"";
        String tail = "\"}";
        return (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    static ValidatableResponse post(String source, byte[] body) {
        return given().contentType("application/json")
                .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Hubject.SECRET, body))
                .body(body).post("/webhooks/" + source).then();
    }
}
