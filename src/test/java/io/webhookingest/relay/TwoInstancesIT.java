package io.webhookingest.relay;

import static io.webhookingest.testing.Signatures.hmacHex;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.LoadDriver;
import io.webhookingest.testing.TestDatabase;

/**
 * Two instances on one database: one publishes, the other's commits reach it through NOTIFY (the poll interval is
 * too long to explain prompt publication), nothing is published twice, and when the publisher dies the other takes
 * over.
 */
class TwoInstancesIT {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void oneInstancePublishesEachEventOnceAndTheOtherTakesOverWhenItDies() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            Map<String, String> config = Instances.config(database.reactiveUrl());
            config.put("ingest.relay.poll-interval", "60s");
            try (AppProcess first = AppProcess.start("two-instances-a", AppProcess.freePort(), config);
                 AppProcess second = AppProcess.start("two-instances-b", AppProcess.freePort(), config)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> first.isPublishing() ^ second.isPublishing());
                AppProcess publisher = first.isPublishing() ? first : second;
                AppProcess standby = publisher == first ? second : first;

                Map<String, String> acknowledged = new HashMap<>(sameDeliveryToBoth(first, second, 40));
                LoadDriver load = new LoadDriver(List.of(Instances.hubject(first), Instances.hubject(second)),
                        Instances.SECRET, 4, 25);
                await().atMost(Duration.ofSeconds(30)).until(() -> load.acknowledgedCount() >= 400);
                load.close();
                assertEquals(List.of(), load.serverErrors());
                acknowledged.putAll(load.acknowledged());
                Instances.assertPublishedOnceEach(acknowledged, Duration.ofSeconds(20));

                LoadDriver standbyOnly = new LoadDriver(List.of(Instances.hubject(standby)), Instances.SECRET, 1, 10);
                await().atMost(Duration.ofSeconds(30)).until(() -> standbyOnly.acknowledgedCount() >= 20);
                standbyOnly.close();
                Instances.assertPublishedOnceEach(standbyOnly.acknowledged(), Duration.ofSeconds(15));

                publisher.kill();
                await().atMost(Duration.ofSeconds(20)).until(standby::isPublishing);
                LoadDriver after = new LoadDriver(List.of(Instances.hubject(standby)), Instances.SECRET, 2, 25);
                await().atMost(Duration.ofSeconds(30)).until(() -> after.acknowledgedCount() >= 100);
                after.close();
                Instances.assertPublishedOnceEach(after.acknowledged(), Duration.ofSeconds(20));
            }
        }
    }

    /** The same delivery sent to both instances at once, repeatedly: one event each time. */
    private static Map<String, String> sameDeliveryToBoth(AppProcess first, AppProcess second, int times) {
        Map<String, String> acknowledged = new HashMap<>();
        for (int i = 0; i < times; i++) {
            String eventId = UUID.randomUUID().toString();
            byte[] body = Hubject.contractCreated(eventId);
            List<JsonPath> answers = List.of(first, second).stream()
                    .map(app -> HTTP.sendAsync(HttpRequest.newBuilder(Instances.hubject(app))
                            .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Instances.SECRET, body))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            HttpResponse.BodyHandlers.ofString()))
                    .toList().stream().map(CompletableFuture::join)
                    .peek(response -> assertEquals(200, response.statusCode(), response.body()))
                    .map(response -> new JsonPath(response.body())).toList();
            assertNotEquals(answers.get(0).getString("status"), answers.get(1).getString("status"),
                    "one accepted, one duplicate");
            assertEquals(answers.get(0).getString("events[0].id"), answers.get(1).getString("events[0].id"));
            acknowledged.put(eventId, answers.get(0).getString("events[0].id"));
        }
        return acknowledged;
    }
}
