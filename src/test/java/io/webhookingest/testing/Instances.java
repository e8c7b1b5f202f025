package io.webhookingest.testing;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Configuration and checks shared by the tests that run the packaged application as processes. */
public final class Instances {

    public static final String SECRET = "it-hubject-secret";

    private Instances() {
    }

    /** The settings every instance under test gets: the test broker, this database, fast failover. */
    public static Map<String, String> config(String reactiveUrl) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", KafkaBrokerResource.broker().bootstrapServers());
        config.put("quarkus.datasource.reactive.url", reactiveUrl);
        config.put("ingest.sources.hubject.secrets", SECRET);
        config.put("ingest.relay.lease-ttl", "3s");
        config.put("ingest.relay.backoff-max", "2s");
        return config;
    }

    public static URI hubject(AppProcess app) {
        return app.uri("/webhooks/hubject");
    }

    /** Waits until every acknowledged CloudEvent id is on the topic; returns how often each appears. */
    public static Map<String, Long> awaitAllPublished(Map<String, String> acknowledged, Duration within) {
        Set<String> expected = Set.copyOf(acknowledged.values());
        return await().atMost(within).pollInterval(Duration.ofSeconds(1)).until(() -> {
            List<ConsumerRecord<String, byte[]>> records = Topics.readAll(Hubject.TOPIC);
            return records.stream().map(r -> Topics.header(r, "ce_id")).filter(expected::contains)
                    .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
        }, counts -> counts.keySet().containsAll(expected));
    }

    /** Asserts each acknowledged event reached the topic exactly once. */
    public static void assertPublishedOnceEach(Map<String, String> acknowledged, Duration within) {
        Map<String, Long> counts = awaitAllPublished(acknowledged, within);
        Map<String, Long> repeated = counts.entrySet().stream().filter(e -> e.getValue() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertEquals(Map.of(), repeated, "every acknowledged event is published exactly once");
    }
}
