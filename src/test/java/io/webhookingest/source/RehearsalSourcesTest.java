package io.webhookingest.source;

import static io.restassured.RestAssured.given;
import static io.webhookingest.testing.Signatures.hmacHex;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Management;

/**
 * The sources a warm-up rehearses on: found by their random name while open, listed nowhere, their deliveries
 * accepted but never kept, and unknown once closed.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class RehearsalSourcesTest {

    private static final String SECRET = "rehearsal-test-secret-" + UUID.randomUUID();

    @Inject
    SourceRegistry registry;

    @Inject
    Pool pool;

    @AfterEach
    void close() {
        registry.closeRehearsals();
    }

    @Test
    void aRehearsalSourceTakesDeliveriesWithoutKeepingThemAndIsGoneOnceClosed() {
        Source source = registry.openRehearsal(WebhookProvider.STRIPE, SECRET);

        assertTrue(source.rehearsal());
        assertEquals(source, registry.find(source.name()).orElseThrow());
        assertFalse(registry.all().contains(source), "listed nowhere");
        Management.admin().get("/admin/sources").then().statusCode(200).body(not(containsString(source.name())));

        String id = "evt_" + UUID.randomUUID();
        byte[] body = ("{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"invoice.paid\"}")
                .getBytes(StandardCharsets.UTF_8);
        deliver(source.name(), body).statusCode(200);
        assertEquals(0, stored(source.name()), "accepted, and rolled back");

        registry.closeRehearsals();

        assertTrue(registry.find(source.name()).isEmpty());
        deliver(source.name(), body).statusCode(404);
    }

    private ValidatableResponse deliver(String name, byte[] body) {
        String t = Long.toString(Instant.now().getEpochSecond());
        return given().contentType("application/json")
                .header("Stripe-Signature", "t=" + t + ",v1=" + hmacHex("HmacSHA256", SECRET,
                        (t + ".").getBytes(StandardCharsets.UTF_8), body))
                .body(body).post("/webhooks/" + name).then();
    }

    private long stored(String name) {
        return pool.preparedQuery("select count(*) from event where source = $1").execute(Tuple.of(name))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }
}
