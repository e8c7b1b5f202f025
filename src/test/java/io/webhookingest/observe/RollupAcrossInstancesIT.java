package io.webhookingest.observe;

import static io.webhookingest.testing.Signatures.hmacHex;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Http;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.TestDatabase;

/**
 * Two instances on one database count their own deliveries and add them to one rollup: either instance's
 * {@code GET /admin/stats} shows the cluster's totals, each delivery counted once.
 */
class RollupAcrossInstancesIT {

    static final String TOKEN = "it-admin-token-for-the-integration-tests";

    @Test
    void eachInstanceAddsItsCountsToOneRollup() {
        try (TestDatabase database = TestDatabase.create()) {
            Map<String, String> config = Instances.config(database.reactiveUrl());
            config.put("ingest.admin.token", TOKEN);
            config.put("ingest.rollup.flush-interval", "1s");
            try (AppProcess first = AppProcess.start("rollup-a", AppProcess.freePort(), config);
                 AppProcess second = AppProcess.start("rollup-b", AppProcess.freePort(), config)) {
                byte[] shared = Hubject.contractCreated(UUID.randomUUID().toString());
                assertEquals(200, deliver(first, shared, Instances.SECRET));
                assertEquals(200, deliver(second, shared, Instances.SECRET), "a duplicate on the other instance");
                for (int i = 0; i < 3; i++) {
                    assertEquals(200, deliver(first, Hubject.contractCreated(UUID.randomUUID().toString()),
                            Instances.SECRET));
                    assertEquals(200, deliver(second, Hubject.contractCreated(UUID.randomUUID().toString()),
                            Instances.SECRET));
                }
                assertEquals(401, deliver(first, shared, "forged"));
                assertEquals(401, deliver(second, shared, "forged"));
                assertEquals(401, deliver(second, shared, "forged"));

                Map<String, Long> expected = Map.of("accepted/none", 7L, "duplicate/none", 1L,
                        "rejected/signature", 3L, "published/none", 7L);
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                        .until(() -> totals(first).equals(expected));
                assertEquals(expected, totals(second), "the same totals on either instance");
            }
        }
    }

    private static Map<String, Long> totals(AppProcess app) {
        JsonPath page = new JsonPath(Http.send(HttpRequest.newBuilder(
                app.managementUri("/admin/stats?source=hubject"))
                .header("Authorization", "Bearer " + TOKEN).GET().build()).body());
        Map<String, Long> totals = new TreeMap<>();
        for (Map<String, Object> minute : page.<Map<String, Object>>getList("minutes")) {
            totals.merge(minute.get("outcome") + "/" + minute.get("reason"),
                    ((Number) minute.get("deliveries")).longValue(), Long::sum);
        }
        return totals;
    }

    private static int deliver(AppProcess app, byte[] body, String secret) {
        URI uri = Instances.hubject(app);
        return Http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build()).statusCode();
    }
}
