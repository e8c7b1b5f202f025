package io.webhookingest.relay;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.webhookingest.config.IngestConfig;
import io.webhookingest.store.EventsCommitted;

/**
 * Publishes committed events to Kafka and marks each one published only after the broker acknowledged it. Rounds
 * run one at a time on one Vert.x context: read the oldest pending events, send them in order, wait for every
 * acknowledgement, mark the acknowledged ones. A commit on this instance starts a round at once; otherwise the relay
 * polls. A failed round leaves its unacknowledged events pending and backs off exponentially, so a broker outage
 * becomes a backlog that drains when the broker returns.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxRepository outbox;
    private final KafkaPublisher publisher;
    private final Vertx vertx;
    private final IngestConfig.Relay config;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    // Confined to the relay's context.
    private Context context;
    private boolean running;
    private boolean roundInProgress;
    private boolean wakeRequested;
    private boolean backingOff;
    private long timer = -1;
    private Duration backoff;
    private int failedRounds;

    OutboxRelay(OutboxRepository outbox, KafkaPublisher publisher, Vertx vertx, IngestConfig config) {
        this.outbox = outbox;
        this.publisher = publisher;
        this.vertx = vertx;
        this.config = config.relay();
        this.backoff = this.config.backoffMin();
    }

    void start(@Observes StartupEvent event) {
        context = vertx.getOrCreateContext();
        context.runOnContext(ignored -> {
            running = true;
            round();
        });
    }

    void onCommit(@Observes EventsCommitted committed) {
        wake();
    }

    /** Starts a round now, unless one is running (then another follows it) or the relay is backing off. */
    public void wake() {
        if (context == null) {
            return;
        }
        context.runOnContext(ignored -> {
            if (!running || backingOff) {
                return;
            }
            if (roundInProgress) {
                wakeRequested = true;
            } else {
                cancelTimer();
                round();
            }
        });
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (context == null) {
            return;
        }
        context.runOnContext(ignored -> {
            running = false;
            cancelTimer();
            if (!roundInProgress) {
                stopped.complete(null);
            }
        });
        try {
            stopped.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.warn("The relay did not finish its last round in time; its events stay pending and are published"
                    + " after the next start");
        }
    }

    private void round() {
        roundInProgress = true;
        wakeRequested = false;
        outbox.nextBatch(config.batchSize())
                .chain(this::publish)
                .subscribe().with(
                        result -> context.runOnContext(ignored -> afterRound(result)),
                        failure -> context.runOnContext(ignored -> afterRound(Round.failed(failure))));
    }

    private Uni<Round> publish(List<PendingEvent> batch) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(new Round(0, null));
        }
        List<CompletableFuture<Ack>> acks = batch.stream()
                .map(event -> publisher.send(CloudEventRecord.of(event))
                        .handle((metadata, failure) -> new Ack(event.id(), failure)))
                .toList();
        return Uni.createFrom().completionStage(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)))
                .chain(() -> {
                    List<Ack> results = acks.stream().map(CompletableFuture::join).toList();
                    List<UUID> acknowledged = results.stream().filter(Ack::succeeded).map(Ack::id).toList();
                    Throwable firstFailure = results.stream().map(Ack::failure).filter(Objects::nonNull)
                            .findFirst().orElse(null);
                    return outbox.markPublished(acknowledged)
                            .map(marked -> new Round(batch.size(), firstFailure));
                });
    }

    private void afterRound(Round round) {
        roundInProgress = false;
        if (!running) {
            stopped.complete(null);
            return;
        }
        if (round.failure() != null) {
            if (failedRounds++ == 0) {
                LOG.warnf("Publishing failed (%s); unacknowledged events stay pending and are retried with backoff",
                        round.failure().toString());
            }
            backingOff = true;
            schedule(backoff);
            backoff = backoff.multipliedBy(2).compareTo(config.backoffMax()) > 0 ? config.backoffMax()
                    : backoff.multipliedBy(2);
            return;
        }
        if (failedRounds > 0) {
            LOG.infof("Publishing again after %d failed round(s)", failedRounds);
            failedRounds = 0;
        }
        backingOff = false;
        backoff = config.backoffMin();
        if (round.read() == config.batchSize() || wakeRequested) {
            round();
        } else {
            schedule(config.pollInterval());
        }
    }

    private void schedule(Duration delay) {
        timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
            timer = -1;
            round();
        });
    }

    private void cancelTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private record Ack(UUID id, Throwable failure) {

        boolean succeeded() {
            return failure == null;
        }
    }

    /** How many events one round read; {@code failure} is its first error, if a send or a query failed. */
    private record Round(int read, Throwable failure) {

        static Round failed(Throwable failure) {
            return new Round(0, failure);
        }
    }
}
