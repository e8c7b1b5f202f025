package io.webhookingest.relay;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.webhookingest.store.EventIds;

/**
 * How far behind publishing is: the number of committed events not yet acknowledged by the broker and the age of the
 * oldest, sampled every few seconds from the database (the backlog is global, so every instance reports the same
 * figures). Exposed as {@code webhook_ingest_outbox_backlog}, {@code webhook_ingest_outbox_oldest_age_seconds} and
 * {@code webhook_ingest_outbox_failed}; likewise the quarantined deliveries waiting for an operator,
 * {@code webhook_ingest_quarantined} and {@code webhook_ingest_quarantined_oldest_age_seconds}.
 */
@ApplicationScoped
public class OutboxBacklog {

    static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(5);

    private static final Logger LOG = Logger.getLogger(OutboxBacklog.class);

    private final OutboxRepository outbox;
    private final Vertx vertx;
    private final Clock clock;
    private volatile long size;
    private volatile UUID oldest;
    private volatile long failed;
    private volatile long quarantined;
    private volatile UUID oldestQuarantined;
    private volatile boolean sampleFailing;

    OutboxBacklog(OutboxRepository outbox, Vertx vertx, Clock clock, MeterRegistry registry) {
        this.outbox = outbox;
        this.vertx = vertx;
        this.clock = clock;
        Gauge.builder("webhook.ingest.outbox.backlog", () -> size)
                .description("Committed events not yet acknowledged by the broker").register(registry);
        Gauge.builder("webhook.ingest.outbox.oldest.age", () -> oldestAge().toMillis() / 1000.0)
                .description("Age of the oldest unpublished event; 0 when none").baseUnit("seconds")
                .register(registry);
        Gauge.builder("webhook.ingest.outbox.failed", () -> failed)
                .description("Events the broker refused for good, waiting for an operator's replay").register(registry);
        Gauge.builder("webhook.ingest.quarantined", () -> quarantined)
                .description("Signed deliveries that could not be read, kept until an operator releases or deletes"
                        + " them").register(registry);
        Gauge.builder("webhook.ingest.quarantined.oldest.age", () -> age(oldestQuarantined).toMillis() / 1000.0)
                .description("Age of the oldest quarantined delivery; 0 when none").baseUnit("seconds")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        sample();
        vertx.setPeriodic(SAMPLE_INTERVAL.toMillis(), id -> sample());
    }

    public long size() {
        return size;
    }

    /** Events the broker refused for good. */
    public long failed() {
        return failed;
    }

    /** Signed deliveries that could not be read, waiting for an operator. */
    public long quarantined() {
        return quarantined;
    }

    /** How long the oldest quarantined delivery has waited; zero when none does. */
    public Duration oldestQuarantinedAge() {
        return age(oldestQuarantined);
    }

    /** How long the oldest unpublished event has waited; zero when none waits. */
    public Duration oldestAge() {
        return age(oldest);
    }

    private Duration age(UUID id) {
        if (id == null) {
            return Duration.ZERO;
        }
        Duration age = Duration.between(EventIds.timeOf(id), clock.instant());
        return age.isNegative() ? Duration.ZERO : age;
    }

    private void sample() {
        outbox.backlog().subscribe().with(backlog -> {
            size = backlog.size();
            oldest = backlog.oldest();
            failed = backlog.failed();
            quarantined = backlog.quarantined();
            oldestQuarantined = backlog.oldestQuarantined();
            sampleFailing = false;
        }, failure -> {
            if (!sampleFailing) {
                LOG.warnf("Could not sample the outbox backlog (the figures are stale until it succeeds): %s",
                        failure.getMessage());
            }
            sampleFailing = true;
        });
    }
}
