package io.webhookingest.relay;

import static io.webhookingest.testing.Signatures.hmacHex;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import io.webhookingest.dev.EmbeddedKafka;
import io.webhookingest.testing.AppProcess;
import io.webhookingest.testing.Hubject;
import io.webhookingest.testing.Instances;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.TestDatabase;
import io.webhookingest.testing.Topics;

/**
 * A broker outage leaves 270 MB of 900 KB events pending in an instance with a 256 MB heap. When the broker comes
 * back, the same process publishes every one of them: a relay round reads and sends only as many bytes as
 * {@code ingest.relay.max-batch-bytes} allows.
 */
class LargeBacklogIT {

    private static final int EVENTS = 300;
    private static final int PADDING_BYTES = 900 * 1024;
    private static final long SEED = 20261202L;

    @Test
    void aBacklogLargerThanTheHeapIsPublishedByTheSameProcess() throws Exception {
        EmbeddedKafka broker = KafkaBrokerResource.broker();
        String topic = "webhooks.large-backlog-" + UUID.randomUUID().toString().substring(0, 8);
        try (TestDatabase database = TestDatabase.create()) {
            Map<String, String> config = Instances.config(database.reactiveUrl());
            config.put("ingest.sources.hubject.topic", topic);
            try (AppProcess app = AppProcess.start("large-backlog", AppProcess.freePort(), config, Map.of(),
                    List.of("-Xmx256m"))) {
                Set<String> acknowledged = new HashSet<>();
                broker.stopBroker();
                try {
                    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    Random random = new Random(SEED);
                    for (int i = 0; i < EVENTS; i++) {
                        byte[] body = largeDelivery(random);
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(Instances.hubject(app))
                                .header(Hubject.SIGNATURE, "sha256=" + hmacHex("HmacSHA256", Instances.SECRET, body))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertEquals(200, response.statusCode(), response.body());
                        acknowledged.add(new JsonPath(response.body()).getString("events[0].id"));
                    }
                    // Readiness samples the backlog every few seconds.
                    await().atMost(Duration.ofSeconds(20)).until(() -> new JsonPath(app.readiness().body())
                            .getLong("checks.find { it.name == 'outbox' }.data.backlog") == EVENTS);
                } finally {
                    broker.startBroker();
                }

                await().atMost(Duration.ofSeconds(120)).until(() -> new JsonPath(app.readiness().body())
                        .getLong("checks.find { it.name == 'outbox' }.data.backlog") == 0);
                Set<String> published = Topics.readAll(topic).stream().map(r -> Topics.header(r, "ce_id"))
                        .collect(Collectors.toSet());
                assertTrue(published.containsAll(acknowledged), "every event of the backlog is on the topic");
                assertTrue(app.isAlive(), "the process that stored the backlog published it");
            }
            String log = Files.readString(Path.of("target", "it-logs", "large-backlog.log"));
            assertFalse(log.contains("OutOfMemoryError"), "no OutOfMemoryError");
        }
    }

    /** A Hubject delivery of about 900 KB that compresses little, as real payloads of that size do. */
    private static byte[] largeDelivery(Random random) {
        byte[] noise = new byte[PADDING_BYTES * 3 / 4];
        random.nextBytes(noise);
        return ("{\"eventId\":\"" + UUID.randomUUID() + "\",\"eventType\":\"oem.contract.created\","
                + "\"payload\":{\"emaid\":\"EMAID" + random.nextInt(50) + "\",\"pcid\":\"PCID\",\"certificate\":\""
                + Base64.getEncoder().encodeToString(noise) + "\"}}").getBytes(StandardCharsets.UTF_8);
    }
}
