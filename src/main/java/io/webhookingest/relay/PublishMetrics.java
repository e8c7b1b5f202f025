package io.webhookingest.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.webhookingest.observe.DeliveryRollup;

/**
 * What the relay publishes, per topic: {@code webhook_ingest_published_total{topic}},
 * {@code webhook_ingest_publish_failures_total{topic, kind}} (kind {@code retried}: the event stays pending and is
 * sent again; {@code refused}: set aside as failed), and {@code webhook_ingest_publish_delay_seconds{topic}}, the
 * histogram of the time from receipt to the broker's acknowledgement.
 */
@Singleton
public class PublishMetrics {

    private final MeterRegistry registry;
    private final DeliveryRollup rollup;
    private final Map<String, TopicMeters> topics = new ConcurrentHashMap<>();
    private final Map<List<String>, Counter> failures = new ConcurrentHashMap<>();

    PublishMetrics(MeterRegistry registry, DeliveryRollup rollup) {
        this.registry = registry;
        this.rollup = rollup;
    }

    void published(PendingEvent event, Instant acknowledgedAt) {
        TopicMeters meters = topics.get(event.topic());
        if (meters == null) {
            meters = topics.computeIfAbsent(event.topic(), this::register);
        }
        meters.published.increment();
        Duration took = Duration.between(event.receivedAt(), acknowledgedAt);
        meters.delay.record(took);
        rollup.published(event.source(), took);
    }

    void failed(PendingEvent event, boolean refused) {
        failures.computeIfAbsent(List.of(event.topic(), refused ? "refused" : "retried"),
                key -> Counter.builder("webhook.ingest.publish.failures")
                        .description("Sends the broker did not acknowledge")
                        .tags("topic", key.get(0), "kind", key.get(1)).register(registry)).increment();
    }

    private TopicMeters register(String topic) {
        return new TopicMeters(Counter.builder("webhook.ingest.published").description("Events the broker acknowledged")
                .tag("topic", topic).register(registry),
                Timer.builder("webhook.ingest.publish.delay")
                        .description("Time from receipt to the broker's acknowledgement").tag("topic", topic)
                        .publishPercentileHistogram().register(registry));
    }

    /** A topic's meters, found with one lookup per acknowledged event. */
    private record TopicMeters(Counter published, Timer delay) {
    }
}
