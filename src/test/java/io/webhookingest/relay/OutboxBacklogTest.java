package io.webhookingest.relay;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Management;
import io.webhookingest.testing.Topics;

/**
 * While another instance holds the relay lease, this one stores deliveries but does not publish them: the backlog
 * and its age show in readiness details and metrics, and once the lease comes back the backlog drains.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class OutboxBacklogTest {

    @Inject
    Pool pool;

    @Test
    void backlogBuildsUpWhileAnotherInstancePublishesAndDrainsWhenTheLeaseReturns() {
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox().getBoolean("data.publishing"));
        pool.query("update relay_lease set holder = 'another-instance', expires_at = now() + interval '1 hour'")
                .execute().await().atMost(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(20)).until(() -> !outbox().getBoolean("data.publishing"));

        String id = Hubject.deliver(Hubject.contractCreated(UUID.randomUUID().toString()), Hubject.SECRET)
                .statusCode(200).extract().path("events[0].id");

        await().atMost(Duration.ofSeconds(20)).until(() -> outbox().getLong("data.backlog") >= 1
                && outbox().getLong("data.oldestAgeSeconds") >= 1);
        assertEquals("UP", outbox().getString("status"), "a backlog does not make the instance unready");
        assertTrue(metric("webhook_ingest_outbox_backlog") >= 1);
        assertTrue(metric("webhook_ingest_outbox_oldest_age_seconds") >= 1);
        assertTrue(Topics.withCloudEventId(Hubject.TOPIC, id).isEmpty(), "only the lease holder publishes");

        pool.query("delete from relay_lease").execute().await().atMost(Duration.ofSeconds(10));
        Topics.awaitCloudEvent(Hubject.TOPIC, id);
        await().atMost(Duration.ofSeconds(20)).until(() -> outbox().getLong("data.backlog") == 0);
    }

    private static JsonPath outbox() {
        return new JsonPath(Management.given().get("/q/health/ready").then().statusCode(200).extract().asString())
                .setRootPath("checks.find { it.name == 'outbox' }");
    }

    private static double metric(String name) {
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher value = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(metrics);
        assertTrue(value.find(), name + " is exported");
        return Double.parseDouble(value.group(1));
    }
}
