package io.webhookingest.observe;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Management;
import io.webhookingest.testing.Senders;

/**
 * Every answered delivery and every publication is added to the per-minute rollup in Postgres, by outcome, and
 * nothing counted is lost while the rollup cannot be written.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class DeliveryRollupTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    DeliveryRollup rollup;

    @Inject
    Pool pool;

    @Test
    void deliveriesArePerMinuteByOutcomeAndPublicationsWithTheirDelay() {
        Map<String, Long> before = writtenTotals();
        byte[] body = Hubject.contractCreated(UUID.randomUUID().toString());
        deliver(body, Senders.hubject(Hubject.SECRET, body)).statusCode(200).body("status", equalTo("accepted"));
        deliver(body, Senders.hubject(Hubject.SECRET, body)).statusCode(200).body("status", equalTo("duplicate"));
        deliver(body, Senders.hubject("forged", body)).statusCode(401);
        rollup.write().await().atMost(WAIT);

        Map<String, Long> after = totals("hubject");
        assertEquals(1, delta(before, after, "accepted/none"));
        assertEquals(1, delta(before, after, "duplicate/none"));
        assertEquals(1, delta(before, after, "rejected/signature"));
        await().atMost(WAIT).until(() -> {
            rollup.write().await().atMost(WAIT);
            return delta(before, totals("hubject"), "published/none") >= 1;
        });
        JsonPath published = new JsonPath(Management.admin().get("/admin/stats?source=hubject").then()
                .statusCode(200).extract().asString());
        List<Integer> maxima = published.getList("minutes.findAll { it.outcome == 'published' }.delayMillisMax");
        assertEquals(false, maxima.isEmpty(), "a publication carries its delay");
    }

    @Test
    void countsThatCannotBeWrittenAreAddedWithTheNextWrite() {
        Map<String, Long> before = writtenTotals();
        pool.query("alter table delivery_rollup rename to delivery_rollup_away").execute().await().atMost(WAIT);
        try {
            byte[] body = Hubject.contractCreated(UUID.randomUUID().toString());
            deliver(body, Senders.hubject("forged", body)).statusCode(401);
            deliver(body, Senders.hubject("forged", body)).statusCode(401);
            rollup.write().onFailure().recoverWithNull().await().atMost(WAIT);
        } finally {
            pool.query("alter table delivery_rollup_away rename to delivery_rollup").execute().await().atMost(WAIT);
        }
        rollup.write().await().atMost(WAIT);

        assertEquals(2, delta(before, totals("hubject"), "rejected/signature"));
    }

    @Test
    void aRangeOfMoreThanTwoDaysIsRefused() {
        Management.admin().get("/admin/stats?since=2026-01-01T00:00:00Z&until=2026-01-04T00:00:00Z").then()
                .statusCode(400).body("reason", equalTo("bad_request"));
        Management.admin().get("/admin/stats?since=yesterday").then().statusCode(400);
    }

    private static ValidatableResponse deliver(byte[] body, Map<String, String> headers) {
        return given().contentType("application/json").headers(headers).body(body).post("/webhooks/hubject").then();
    }

    /** The totals once what earlier tests counted is written too. */
    private Map<String, Long> writtenTotals() {
        rollup.write().await().atMost(WAIT);
        return totals("hubject");
    }

    /** The last hour's deliveries of a source by outcome/reason, as the API sums them. */
    static Map<String, Long> totals(String source) {
        JsonPath page = new JsonPath(Management.admin().get("/admin/stats?source=" + source).then().statusCode(200)
                .extract().asString());
        List<Map<String, Object>> minutes = page.getList("minutes");
        Map<String, Long> totals = new TreeMap<>();
        for (Map<String, Object> minute : minutes) {
            totals.merge(minute.get("outcome") + "/" + minute.get("reason"),
                    ((Number) minute.get("deliveries")).longValue(), Long::sum);
        }
        return totals;
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String key) {
        return after.getOrDefault(key, 0L) - before.getOrDefault(key, 0L);
    }
}
