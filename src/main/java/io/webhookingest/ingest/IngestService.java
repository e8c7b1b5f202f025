package io.webhookingest.ingest;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.webhookingest.config.IngestConfig;
import io.webhookingest.extract.ExtractedEvent;
import io.webhookingest.extract.Extraction;
import io.webhookingest.extract.FieldSelector.BodyDigest;
import io.webhookingest.source.SecretUsage;
import io.webhookingest.source.Source;
import io.webhookingest.source.SourceRegistry;
import io.webhookingest.store.EventIds;
import io.webhookingest.store.EventStatus;
import io.webhookingest.store.EventWriter;
import io.webhookingest.store.NewEvent;
import io.webhookingest.store.StoreRefusedException;
import io.webhookingest.store.StoreTimeoutException;
import io.webhookingest.store.StoreUnavailableException;
import io.webhookingest.store.StoredEvent;
import io.webhookingest.verify.Rejection;
import io.webhookingest.verify.ReplayGuard;
import io.webhookingest.verify.Verdict;
import io.webhookingest.webhook.TraceParent;
import io.webhookingest.webhook.WebhookRequest;

/**
 * Takes one delivery through the pipeline: find the source, verify the signature, extract the events, store them.
 * The returned outcome completes only once the events are committed; a failure means nothing was stored.
 */
@Singleton
public class IngestService {

    /** Identities of quarantined deliveries; no provider identity can clash with it within a source. */
    public static final String QUARANTINE_IDENTITY_PREFIX = "quarantined|";

    /** Bodies larger than this are verified and read on a worker thread rather than on the event loop. */
    static final int OFFLOAD_THRESHOLD = 128 * 1024;

    private static final IngestResult REPLAYED = new IngestResult.Rejected(Verdict.rejected(Rejection.REPLAYED,
            "This request was already received: its signed nonce was seen within the timestamp window"));

    private final SourceRegistry sources;
    private final HeaderCapture headerCapture;
    private final EventWriter writer;
    private final EventIds ids;
    private final Clock clock;
    private final Deadlines storeDeadlines;
    private final Vertx vertx;
    private final DeliveryMetrics metrics;
    private final UnexpectedFailures unexpected;
    private final SecretUsage secretUsage;

    IngestService(SourceRegistry sources, HeaderCapture headerCapture, EventWriter writer, EventIds ids,
            Clock clock, IngestConfig config, DeliveryMetrics metrics, UnexpectedFailures unexpected,
            SecretUsage secretUsage, Vertx vertx) {
        this.unexpected = unexpected;
        this.secretUsage = secretUsage;
        this.metrics = metrics;
        this.sources = sources;
        this.headerCapture = headerCapture;
        this.writer = writer;
        this.ids = ids;
        this.clock = clock;
        this.storeDeadlines = new Deadlines(vertx, config.store().timeout(), Deadlines.TICK);
        this.vertx = vertx;
    }

    @PreDestroy
    void stopDeadlines() {
        storeDeadlines.close();
    }

    /**
     * The source a delivery is for, found once when its request arrives: the HTTP layer enforces its body limit, and
     * the delivery is taken with this version of it, whatever changes while the body is on its way.
     */
    public Optional<Source> source(String sourceName) {
        return sources.find(sourceName);
    }

    /**
     * One delivery on its way: the answer, and when the pipeline lets go of the body, which may be later (a write
     * still queued or in flight when the store timeout answered the sender). Neither future fails but the answer.
     */
    public record Ingestion(Future<IngestResult> answer, Future<Void> bodyReleased) {
    }

    /**
     * Verification and extraction run on the caller's thread (the event loop: they neither block nor wait), except
     * for bodies over {@link #OFFLOAD_THRESHOLD}, whose MACs, digests and parsing would hold the event loop from
     * other deliveries for milliseconds: those run on a worker thread. The outcome is a plain Vert.x future, as this
     * runs for every delivery and needs no context capture per callback.
     */
    public Ingestion ingest(Source source, WebhookRequest request) {
        String sourceName = source.name();
        BodyHold hold = new BodyHold();
        Future<IngestResult> outcome;
        try {
            outcome = process(source, request, hold);
        } catch (RuntimeException e) {
            outcome = Future.failedFuture(e);
        }
        Future<IngestResult> answer = outcome.andThen(result -> {
            hold.answered();
            if (source.rehearsal()) {
                return;
            }
            if (result.succeeded()) {
                metrics.record(sourceName, result.result());
            } else if (result.cause() instanceof StoreUnavailableException) {
                metrics.unavailable(sourceName);
            } else {
                metrics.failed(sourceName);
            }
        });
        return new Ingestion(answer, hold.released.future());
    }

    /**
     * Who still holds a delivery's body: the answer until it is given, and each write until it completes (a write
     * outlives the answer when the store timeout answered first). Confined to the delivery's context.
     */
    private static final class BodyHold {

        private final Promise<Void> released = Promise.promise();
        private int writes;
        private boolean answered;

        <T> Future<T> writing(Future<T> write) {
            writes++;
            write.onComplete(done -> {
                writes--;
                releaseIfFree();
            });
            return write;
        }

        void answered() {
            answered = true;
            releaseIfFree();
        }

        private void releaseIfFree() {
            if (answered && writes == 0) {
                released.tryComplete();
            }
        }
    }

    private Future<IngestResult> process(Source source, WebhookRequest request, BodyHold hold) {
        if (request.body().length > OFFLOAD_THRESHOLD) {
            return vertx.executeBlocking(() -> read(source, request), false)
                    .compose(reading -> store(source, request, reading, hold));
        }
        return store(source, request, read(source, request), hold);
    }

    /**
     * What verification and extraction found, with the digests storing needs: CPU work over the body, with no I/O.
     *
     * @param contentKeys     per event, its content key (see {@link Source#contentKey}), when it has one
     * @param quarantineIdentity the identity a malformed delivery is kept under
     */
    private record Reading(Verdict verdict, Extraction extraction, List<String> contentKeys,
            String quarantineIdentity) {

        static Reading rejected(Verdict verdict) {
            return new Reading(verdict, null, List.of(), null);
        }
    }

    /**
     * Verifies and extracts. A verifier or extractor that throws has met input it cannot parse: that is the sender's
     * problem to hear about (401 or a quarantined 400), never a 503 it would retry forever.
     */
    private Reading read(Source source, WebhookRequest request) {
        long verifying = System.nanoTime();
        Verdict verdict;
        try {
            verdict = source.verifier().verify(request);
        } catch (RuntimeException e) {
            unexpected.report(source.name(), "verifier", e);
            verdict = Verdict.rejected(Rejection.MALFORMED_SIGNATURE, "The signature headers could not be parsed");
        }
        if (!source.rehearsal()) {
            metrics.verification(source.name(), System.nanoTime() - verifying);
        }
        if (!verdict.isValid()) {
            return Reading.rejected(verdict);
        }
        if (!source.rehearsal()) {
            secretUsage.verified(source, verdict.secret());
        }
        Extraction extraction;
        try {
            extraction = source.extractor().extract(request);
        } catch (RuntimeException e) {
            unexpected.report(source.name(), "extractor", e);
            extraction = new Extraction.Malformed("The delivery could not be read (" + e.getClass().getSimpleName()
                    + ")");
        }
        if (extraction instanceof Extraction.Events events) {
            List<String> keys = events.events().stream()
                    .map(event -> source.contentKey(request.body(), event.value())).toList();
            return new Reading(verdict, extraction, keys, null);
        }
        return new Reading(verdict, extraction, List.of(), extraction instanceof Extraction.Malformed
                ? QUARANTINE_IDENTITY_PREFIX + BodyDigest.of(request.body()) : null);
    }

    private Future<IngestResult> store(Source source, WebhookRequest request, Reading reading,
            BodyHold hold) {
        Verdict verdict = reading.verdict();
        if (!verdict.isValid()) {
            return Future.succeededFuture(new IngestResult.Rejected(verdict));
        }
        String sourceName = source.name();
        Extraction extraction = reading.extraction();
        if (extraction instanceof Extraction.Malformed malformed) {
            return quarantine(source, request, reading.quarantineIdentity(), malformed.detail(), hold);
        }
        if (extraction instanceof Extraction.Challenge challenge) {
            return Future.succeededFuture(new IngestResult.Challenge(challenge.challenge()));
        }
        List<NewEvent> rows = toRows(source, request, ((Extraction.Events) extraction).events(),
                reading.contentKeys(), verdict.replayGuard().map(ReplayGuard::nonce).orElse(null));
        long committing = System.nanoTime();
        Future<IngestResult> stored = bounded(hold.writing(write(source, rows)))
                .map(events -> events.stream().anyMatch(StoredEvent::replayed) ? REPLAYED
                        : new IngestResult.Stored(events));
        return stored.onSuccess(result -> {
                    if (!source.rehearsal()) {
                        metrics.commit(sourceName, System.nanoTime() - committing);
                    }
                })
                .recover(failure -> failure instanceof StoreRefusedException refused
                        ? quarantine(source, request, QUARANTINE_IDENTITY_PREFIX + BodyDigest.of(request.body()),
                                refused.getMessage(), hold)
                        : Future.failedFuture(failure));
    }

    /**
     * Keeps a signed delivery that could not be read, so that nothing a provider sent is lost: it is released once
     * the configuration is fixed. Its identity is the body digest, so the sender's retries are kept once.
     */
    private Future<IngestResult> quarantine(Source source, WebhookRequest request, String identity, String reason,
            BodyHold hold) {
        NewEvent kept = NewEvent.quarantined(ids.next(), source.name(), identity, source.topic(), clock.instant(),
                request.body(), headerCapture.toJson(request.headers()), reason, headerCapture.url(request.url()));
        return bounded(hold.writing(write(source, List.of(kept))))
                .map(stored -> new IngestResult.Malformed(reason, stored.get(0).id()));
    }

    /** A rehearsal's events go the writer's whole way, into a transaction that is rolled back. */
    private Future<List<StoredEvent>> write(Source source, List<NewEvent> rows) {
        return source.rehearsal() ? writer.rehearse(rows) : writer.write(rows);
    }

    /** Waits for the commit no longer than the store timeout; the sender is then told to retry. */
    private <T> Future<T> bounded(Future<T> write) {
        if (write.isComplete()) {
            return write;
        }
        Promise<T> answer = Promise.promise();
        Deadlines.Deadline deadline = storeDeadlines.set(() -> answer.tryFail(
                new StoreTimeoutException("The database did not confirm the commit in time")));
        write.onComplete(outcome -> {
            deadline.clear();
            if (outcome.succeeded()) {
                answer.tryComplete(outcome.result());
            } else {
                answer.tryFail(outcome.cause());
            }
        });
        return answer.future();
    }

    private List<NewEvent> toRows(Source source, WebhookRequest request, List<ExtractedEvent> events,
            List<String> contentKeys, String nonce) {
        Instant receivedAt = clock.instant();
        String headers = headerCapture.toJson(request.headers());
        String traceParent = TraceParent.current();
        List<NewEvent> rows = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            ExtractedEvent event = events.get(i);
            Optional<String> topic = source.topicOf(event);
            rows.add(NewEvent.of(ids.next(), source.name(), event.identity(), event.type(), event.subject(),
                    topic.isPresent() ? EventStatus.PENDING : EventStatus.RECORDED, topic.orElse(source.topic()),
                    receivedAt, request.body(), event.value(), headers, traceParent)
                    .withKeys(contentKeys.get(i), nonce));
        }
        return rows;
    }
}
