package io.webhookingest;

import static io.webhookingest.testing.Signatures.hmacHex;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.path.json.JsonPath;
import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.LoadDriver;
import io.webhookingest.testing.TestDatabase;

/**
 * Three instances on one machine, one Postgres and one broker: the same deliveries sent to all three at once and a
 * stream of distinct ones give one record per identity and lose none; then a rolling restart under load answers no
 * 5xx and loses nothing. The instances log JSON lines that carry neither secrets nor bodies.
 */
class ScaleOutIT {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final int INSTANCES = 3;

    @Test
    void threeInstancesPublishOneRecordPerIdentityAndSurviveARollingRestart() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            Map<String, String> config = Instances.config(database.reactiveUrl());
            List<Integer> ports = new ArrayList<>();
            List<AppProcess> apps = new ArrayList<>();
            try {
                for (int i = 0; i < INSTANCES; i++) {
                    ports.add(AppProcess.freePort());
                    apps.add(AppProcess.start("scale-out-" + i, ports.get(i), config));
                }
                LoadDriver load = new LoadDriver(apps.stream().map(Instances::hubject).toList(), Instances.SECRET,
                        3, 30);
                Map<String, String> acknowledged = new HashMap<>(sameDeliveriesToAll(apps, 60));

                for (int i = 0; i < INSTANCES; i++) {
                    int before = load.acknowledgedCount();
                    await().atMost(Duration.ofSeconds(30)).until(() -> load.acknowledgedCount() >= before + 100);
                    apps.get(i).stop();
                    apps.set(i, AppProcess.start("scale-out-" + i + "-restarted", ports.get(i), config));
                }
                int afterRestarts = load.acknowledgedCount();
                await().atMost(Duration.ofSeconds(30)).until(() -> load.acknowledgedCount() >= afterRestarts + 100);
                load.close();

                assertEquals(List.of(), load.serverErrors(), "no 5xx, during the rolling restart included");
                acknowledged.putAll(load.acknowledged());
                Instances.assertPublishedOnceEach(acknowledged, Duration.ofSeconds(60));
            } finally {
                apps.forEach(AppProcess::close);
            }
            for (int i = 0; i < INSTANCES; i++) {
                assertStructuredAndDiscreet(Path.of("target", "it-logs", "scale-out-" + i + ".log"));
            }
        }
    }

    /** Each delivery sent to every instance at once: exactly one answer is "accepted", all name the same event. */
    private static Map<String, String> sameDeliveriesToAll(List<AppProcess> apps, int times) {
        Map<String, String> acknowledged = new HashMap<>();
        for (int i = 0; i < times; i++) {
            String eventId = UUID.randomUUID().toString();
            byte[] body = Hubject.contractCreated(eventId);
            List<JsonPath> answers = apps.stream()
                    .map(app -> HTTP.sendAsync(HttpRequest.newBuilder(Instances.hubject(app))
                            .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Instances.SECRET, body))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            HttpResponse.BodyHandlers.ofString()))
                    .toList().stream().map(CompletableFuture::join)
                    .peek(response -> assertEquals(200, response.statusCode(), response.body()))
                    .map(response -> new JsonPath(response.body())).toList();
            assertEquals(1, answers.stream().filter(a -> a.getString("status").equals("accepted")).count());
            assertEquals(1, answers.stream().map(a -> a.getString("events[0].id")).distinct().count());
            acknowledged.put(eventId, answers.get(0).getString("events[0].id"));
        }
        return acknowledged;
    }

    private static void assertStructuredAndDiscreet(Path log) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(log);
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            JsonNode entry = json.readTree(line);
            assertTrue(entry.has("timestamp") && entry.has("level") && entry.has("message"), line);
        }
        String text = String.join("\n", lines);
        assertFalse(text.contains(Instances.SECRET), "no secret in " + log);
        assertFalse(text.contains("TESTPCID"), "no body in " + log);
    }
}
