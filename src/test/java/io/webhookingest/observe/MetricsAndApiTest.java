package io.webhookingest.observe;

import static io.restassured.RestAssured.given;
import static io.webhookingest.testing.Signatures.hmacHex;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Management;
import io.webhookingest.testing.Metrics;

/** What operators watch: deliveries by outcome and reason, latency histograms, publication, and the API document. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class MetricsAndApiTest {

    static final String DELIVERIES = "webhook_ingest_deliveries_total";

    @TestHTTPResource("/")
    URI root;

    @Test
    void deliveriesAreCountedPerSourceOutcomeAndReason() throws IOException {
        Map<String, Map<String, String>> series = Map.of(
                "accepted", Map.of("source", "hubject", "outcome", "accepted", "reason", "none"),
                "duplicate", Map.of("source", "hubject", "outcome", "duplicate", "reason", "none"),
                "signature", Map.of("source", "hubject", "outcome", "rejected", "reason", "signature"),
                "malformed", Map.of("source", "hubject", "outcome", "rejected", "reason", "malformed"),
                "too_large", Map.of("source", "hubject", "outcome", "rejected", "reason", "too_large"),
                "unknown", Map.of("source", "_unknown", "outcome", "rejected", "reason", "unknown_source"));
        Map<String, Double> before = new HashMap<>();
        series.forEach((name, labels) -> before.put(name, Metrics.value(DELIVERIES, labels)));
        double published = Metrics.value("webhook_ingest_published_total", Map.of("topic", Hubject.TOPIC));

        byte[] body = Hubject.contractCreated(UUID.randomUUID().toString());
        Hubject.deliver(body, Hubject.SECRET).statusCode(200);
        Hubject.deliver(body, Hubject.SECRET).statusCode(200);
        Hubject.deliver(body, "wrong").statusCode(401);
        Hubject.deliver("{\"eventType\":\"x\"}".getBytes(), Hubject.SECRET).statusCode(400);
        assertEquals("HTTP/1.1 413 Request Entity Too Large", declareOversizedBody());
        given().body(body).post("/webhooks/no-such-source").then().statusCode(404);

        series.forEach((name, labels) -> assertEquals(before.get(name) + 1, Metrics.value(DELIVERIES, labels), name));
        assertTrue(Metrics.value("webhook_ingest_verification_seconds_count", Map.of("source", "hubject")) > 0);
        assertTrue(Metrics.value("webhook_ingest_commit_seconds_bucket", Map.of("source", "hubject", "le", "+Inf"))
                > 0, "commit latency is a histogram");
        await().atMost(Duration.ofSeconds(20)).until(() -> Metrics.value("webhook_ingest_published_total",
                Map.of("topic", Hubject.TOPIC)) > published);
        assertTrue(Metrics.value("webhook_ingest_publish_delay_seconds_count", Map.of("topic", Hubject.TOPIC)) > 0);
    }

    /** Declares a 20 MB body and sends none: the refusal must come before any of it is read. */
    private String declareOversizedBody() throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.getOutputStream().write(("POST /webhooks/hubject HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: 20000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void openApiDocumentsTheWebhookAndAdminEndpoints() {
        Management.given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", hasKey("/webhooks/{source}"))
                .body("paths", hasKey("/webhooks/{source}/{tail}"))
                .body("paths", hasKey("/admin/events"))
                .body("paths", hasKey("/admin/events/{id}/release"))
                .body("paths", hasKey("/admin/sources/{name}/secrets"))
                .body("paths.'/webhooks/{source}'.post.responses.'413'", notNullValue())
                .body("paths.'/webhooks/{source}'.post.responses.'503'", notNullValue())
                .body("components.securitySchemes.admin-token.scheme", org.hamcrest.Matchers.equalTo("bearer"));
        Management.given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void metricsNameRoutesByTemplateNotBySourceName() {
        byte[] body = Hubject.contractCreated(UUID.randomUUID().toString());
        given().header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Hubject.SECRET, body)).body(body)
                .post("/webhooks/scanner-" + UUID.randomUUID()).then().statusCode(404);
        String metrics = Management.given().get("/q/metrics").then().extract().asString();
        assertTrue(!metrics.contains("scanner-"), "an unknown source name never becomes a label");
    }
}
