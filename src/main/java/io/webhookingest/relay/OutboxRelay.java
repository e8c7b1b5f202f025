package io.webhookingest.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

import io.opentelemetry.api.trace.Span;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.webhookingest.config.IngestConfig;
import io.webhookingest.source.SourceRegistry;
import io.webhookingest.store.EventsCommitted;

/**
 * Publishes committed events to Kafka and marks each one published only after the broker acknowledged it.
 * <p>
 * Only the instance holding the {@link RelayLease} publishes, so several instances on one database never publish the
 * same events at once, and each subject's events leave in the order they were committed. Rounds run one at a time on
 * one Vert.x context: read the head of the outbox queue (in commit order, bounded in count and bytes), send it in
 * order, wait for every acknowledgement, take the acknowledged ones off the queue. A round runs only while the
 * lease has a third of its time ({@link #maxRound}) left unrenewed, is cut off as soon as it has not, whatever the
 * broker does, and changes the queue only under the lease's fencing token; when a send fails, no later event of the
 * same subject from that round is taken off the queue, so it is sent again after the one that failed. A commit on
 * any instance starts a round at once (locally, or through {@link OutboxSignal}); otherwise the relay polls. A failed round leaves its unacknowledged events pending and backs off exponentially, so
 * a broker outage becomes a backlog that drains when the broker returns. An event the broker refuses for good is
 * set aside as failed rather than blocking the events behind it. On shutdown the relay keeps publishing what is
 * pending for a bounded time, then hands the lease over.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** How often a running round checks that its lease still has long enough to run. */
    private static final Duration ROUND_GUARD = Duration.ofMillis(100);

    private final OutboxRepository outbox;
    private final RecentCommits recent;
    private final OutboxVacuum vacuum;
    private final KafkaPublisher publisher;
    private final RelayLease lease;
    private final OutboxSignal signal;
    private final PublishTracing tracing;
    private final PublishMetrics metrics;
    private final SourceRegistry sources;
    private final Vertx vertx;
    private final IngestConfig.Relay config;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Duration maxRound;
    private volatile Failure lastFailure;

    // Confined to the relay's context.
    private Context context;
    private boolean running;
    private boolean draining;
    private long drainDeadline;
    private boolean roundInProgress;
    private boolean wakeRequested;
    private boolean backingOff;
    private long timer = -1;
    private Duration backoff;
    private int failedRounds;

    /** The last failed round: when, and why. */
    public record Failure(Instant at, String cause) {
    }

    OutboxRelay(OutboxRepository outbox, RecentCommits recent, OutboxVacuum vacuum, KafkaPublisher publisher,
            RelayLease lease, OutboxSignal signal, PublishTracing tracing, PublishMetrics metrics,
            SourceRegistry sources, Vertx vertx, IngestConfig config) {
        this.outbox = outbox;
        this.recent = recent;
        this.sources = sources;
        this.vacuum = vacuum;
        this.publisher = publisher;
        this.lease = lease;
        this.signal = signal;
        this.tracing = tracing;
        this.metrics = metrics;
        this.vertx = vertx;
        this.config = config.relay();
        this.backoff = this.config.backoffMin();
        this.maxRound = this.config.leaseTtl().dividedBy(3);
    }

    void start(@Observes StartupEvent event) {
        context = vertx.getOrCreateContext();
        context.runOnContext(ignored -> {
            running = true;
            signal.listen(this::wake);
            lease.start(this::wake);
            schedule(config.pollInterval());
        });
    }

    void onCommit(@Observes EventsCommitted committed) {
        if (lease.isHeld()) {
            recent.keep(committed.stored());
            wake();
        } else {
            signal.notifyPublisher();
        }
    }

    /** True while this instance holds the lease and publishes. */
    public boolean isPublishing() {
        return lease.isHeld();
    }

    /** The last failed round, if the relay has failed since it last published successfully. */
    public Failure lastFailure() {
        return lastFailure;
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
            draining = true;
            drainDeadline = System.nanoTime() + config.drainTimeout().toNanos();
            if (!roundInProgress) {
                cancelTimer();
                round();
            }
        });
        try {
            stopped.get(config.drainTimeout().plus(maxRound).toMillis(), TimeUnit.MILLISECONDS);
            lease.release();
        } catch (TimeoutException | ExecutionException e) {
            // A round may still be running: let the lease expire rather than hand it over under it.
            publisher.abort();
            lease.abandon();
            LOG.warn("The relay did not finish its last round in time; unpublished events stay pending for the next"
                    + " publishing instance, which takes over when this one's lease expires");
        }
    }

    private void round() {
        if (!running) {
            return;
        }
        if (!lease.isHeldFor(maxRound)) {
            if (!lease.isHeld()) {
                recent.forget();
            }
            if (draining) {
                finish();
            } else {
                schedule(config.pollInterval());
            }
            return;
        }
        roundInProgress = true;
        wakeRequested = false;
        RelayLease.Fence fence = lease.fence();
        outbox.nextBatch(fence)
                .chain(batch -> publish(batch.events(), fence).map(round -> round.cut(batch.cut())))
                .subscribe().with(
                        result -> context.runOnContext(ignored -> afterRound(result)),
                        failure -> context.runOnContext(ignored -> afterRound(Round.failed(failure))));
    }

    private Uni<Round> publish(List<PendingEvent> batch, RelayLease.Fence fence) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(new Round(0, null, false));
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(batch.size());
        List<Span> spans = new ArrayList<>(batch.size());
        for (PendingEvent event : batch) {
            ProducerRecord<String, byte[]> record = CloudEventRecord.of(event, sources.contentMode(event.source()));
            spans.add(tracing.start(event, record));
            records.add(record);
        }
        List<CompletableFuture<RecordMetadata>> sends = publisher.sendAll(records);
        CompletableFuture<Void> allSent = CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
        // A round ends while the lease it runs under has a third of it left, whatever the broker does: what is not
        // acknowledged by then is sent again. A round that is merely slow, under a lease still being renewed, goes on,
        // since cutting it short would publish its sent but unacknowledged events twice.
        long guard = vertx.setPeriodic(ROUND_GUARD.toMillis(), check -> {
            if (!lease.isHeldFor(maxRound)) {
                publisher.abort();
            }
        });
        allSent.whenComplete((done, failure) -> vertx.cancelTimer(guard));
        List<CompletableFuture<Ack>> acks = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            PendingEvent event = batch.get(i);
            Span span = spans.get(i);
            acks.add(sends.get(i).handle((metadata, failure) -> {
                Ack ack = new Ack(event, unwrap(failure));
                tracing.end(span, ack.failure());
                if (ack.succeeded()) {
                    metrics.published(event, Instant.now());
                } else {
                    metrics.failed(event, ack.refused());
                }
                return ack;
            }));
        }
        return Uni.createFrom().completionStage(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)))
                .chain(() -> {
                    List<Ack> results = acks.stream().map(CompletableFuture::join).toList();
                    Throwable retriable = results.stream().filter(Ack::retriable).map(Ack::failure).findFirst()
                            .orElse(null);
                    return outbox.markPublished(takenOff(results), fence)
                            .invoke(vacuum::taken)
                            .call(() -> setAside(results.stream().filter(Ack::refused).toList(), fence))
                            .map(marked -> new Round(batch.size(), retriable, false));
                });
    }

    /**
     * The acknowledged events that may leave the queue: not one of a subject after an event of that subject whose
     * send failed in a way a later round can overcome, so that the failed one goes out again first.
     */
    private static List<Long> takenOff(List<Ack> results) {
        Set<List<String>> held = new HashSet<>();
        List<Long> acknowledged = new ArrayList<>(results.size());
        for (Ack ack : results) {
            List<String> subject = List.of(ack.event().topic(), ack.event().subject());
            if (ack.retriable()) {
                held.add(subject);
            } else if (ack.succeeded() && !held.contains(subject)) {
                acknowledged.add(ack.event().seq());
            }
        }
        return acknowledged;
    }

    /**
     * Events the broker refused for good (too large for the topic, invalid or unauthorized topic) would fail every
     * round and hold back everything behind them; they are set aside as failed, with the broker's reason, for an
     * operator to replay once the cause is fixed.
     */
    private Uni<Void> setAside(List<Ack> refused, RelayLease.Fence fence) {
        if (refused.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(refused)
                .onItem().transformToUniAndConcatenate(ack -> {
                    String reason = ack.failure().getClass().getSimpleName() + ": " + ack.failure().getMessage();
                    LOG.warnf("Event %s was refused by the broker for topic %s and is set aside as failed: %s",
                            ack.event().id(), ack.event().topic(), reason);
                    return outbox.markFailed(ack.event(), reason, fence);
                })
                .collect().last().replaceWithVoid();
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }

    private void afterRound(Round round) {
        roundInProgress = false;
        if (draining) {
            boolean more = round.failure() == null && round.read() > 0 && System.nanoTime() - drainDeadline < 0;
            if (more) {
                round();
            } else {
                finish();
            }
            return;
        }
        if (round.failure() != null) {
            lastFailure = new Failure(Instant.now(), round.failure().toString());
            if (failedRounds++ == 0) {
                LOG.warnf("Publishing failed (%s); unacknowledged events stay pending and are retried with backoff",
                        round.failure().toString());
            }
            backingOff = true;
            schedule(backoff);
            Duration doubled = backoff.multipliedBy(2);
            backoff = doubled.compareTo(config.backoffMax()) > 0 ? config.backoffMax() : doubled;
            return;
        }
        if (failedRounds > 0) {
            LOG.infof("Publishing again after %d failed round(s)", failedRounds);
            failedRounds = 0;
            lastFailure = null;
        }
        backingOff = false;
        backoff = config.backoffMin();
        if (round.read() == config.batchSize() || round.cut() || wakeRequested) {
            round();
        } else {
            schedule(config.pollInterval());
        }
    }

    private void finish() {
        running = false;
        cancelTimer();
        stopped.complete(null);
    }

    private void schedule(Duration delay) {
        cancelTimer();
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

    /** The outcome of one send: acknowledged, refused for good, or failed in a way a later round can overcome. */
    private record Ack(PendingEvent event, Throwable failure) {

        boolean succeeded() {
            return failure == null;
        }

        boolean refused() {
            return failure instanceof ApiException && !(failure instanceof RetriableException);
        }

        boolean retriable() {
            return failure != null && !refused();
        }
    }

    /**
     * How many events one round read; {@code failure} is its first error, if a send or a query failed; {@code cut}:
     * the byte budget left events of the head for the next round.
     */
    private record Round(int read, Throwable failure, boolean cut) {

        static Round failed(Throwable failure) {
            return new Round(0, failure, false);
        }

        Round cut(boolean cut) {
            return new Round(read, failure, cut);
        }
    }
}
