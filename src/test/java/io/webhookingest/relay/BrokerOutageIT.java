package io.webhookingest.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.webhookingest.dev.EmbeddedKafka;
import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.LoadDriver;
import io.webhookingest.testing.TestDatabase;

/**
 * The broker goes away under load and comes back: deliveries are acknowledged throughout, the instance stays ready,
 * the backlog shows, and afterwards every acknowledged event is on the topic exactly once.
 */
class BrokerOutageIT {

    static final String ADMIN_TOKEN = "it-admin-token-for-the-integration-tests";

    static Map<String, String> withAdminToken(Map<String, String> config) {
        config.put("ingest.admin.token", ADMIN_TOKEN);
        return config;
    }

    @Test
    void acknowledgedEventsSurviveABrokerOutageAndArePublishedOnceEach() throws Exception {
        EmbeddedKafka broker = KafkaBrokerResource.broker();
        Map<String, String> acknowledged;
        try (TestDatabase database = TestDatabase.create();
             AppProcess app = AppProcess.start("broker-outage", AppProcess.freePort(),
                     withAdminToken(Instances.config(database.reactiveUrl())))) {
            LoadDriver load = new LoadDriver(List.of(Instances.hubject(app)), Instances.SECRET, 4, 40);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> load.acknowledgedCount() >= 100);
                broker.stopBroker();
                int beforeOutage = load.acknowledgedCount();
                await().atMost(Duration.ofSeconds(30)).until(() -> load.acknowledgedCount() >= beforeOutage + 300);

                var readiness = app.readiness();
                assertEquals(200, readiness.statusCode(), "a broker outage does not take the instance out");
                await().atMost(Duration.ofSeconds(20)).until(() -> new JsonPath(app.readiness().body())
                        .getLong("checks.find { it.name == 'outbox' }.data.backlog") > 0);
                await().atMost(Duration.ofSeconds(30)).until(() -> new JsonPath(app.readiness().body())
                        .getString("checks.find { it.name == 'outbox' }.data.lastFailureAt") != null);
                String outbox = app.readiness().body();
                assertFalse(outbox.contains("Exception") || outbox.contains("lastFailure\":"),
                        "readiness does not show the failure's text: " + outbox);
                assertTrue(relayStatus(app).contains("\"lastFailure\":"), "the admin API does");
            } finally {
                broker.startBroker();
            }
            int afterOutage = load.acknowledgedCount();
            await().atMost(Duration.ofSeconds(30)).until(() -> load.acknowledgedCount() >= afterOutage + 100);
            load.close();

            assertEquals(List.of(), load.serverErrors(), "no delivery got a 5xx");
            acknowledged = load.acknowledged();
            Instances.assertPublishedOnceEach(acknowledged, Duration.ofSeconds(90));
            await().atMost(Duration.ofSeconds(30)).until(() -> new JsonPath(app.readiness().body())
                    .getLong("checks.find { it.name == 'outbox' }.data.backlog") == 0);
        }
        assertTrue(acknowledged.size() >= 500, "enough load to mean something: " + acknowledged.size());
    }

    private static String relayStatus(AppProcess app) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.managementUri("/admin/relay"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
