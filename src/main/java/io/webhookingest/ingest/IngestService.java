package io.webhookingest.ingest;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.webhookingest.extract.ExtractedEvent;
import io.webhookingest.extract.Extraction;
import io.webhookingest.source.Source;
import io.webhookingest.source.SourceRegistry;
import io.webhookingest.store.EventIds;
import io.webhookingest.store.EventStatus;
import io.webhookingest.store.EventWriter;
import io.webhookingest.store.NewEvent;
import io.webhookingest.verify.Rejection;
import io.webhookingest.verify.Verdict;
import io.webhookingest.webhook.WebhookRequest;

/**
 * Takes one delivery through the pipeline: find the source, verify the signature, extract the events, store them.
 * The returned outcome completes only once the events are committed; a failure means nothing was stored.
 */
@ApplicationScoped
public class IngestService {

    private static final IngestResult REPLAYED = new IngestResult.Rejected(Verdict.rejected(Rejection.REPLAYED,
            "This request was already received: its signed nonce was seen within the timestamp window"));

    private final SourceRegistry sources;
    private final HeaderCapture headerCapture;
    private final EventWriter writer;
    private final EventIds ids;
    private final Clock clock;

    IngestService(SourceRegistry sources, HeaderCapture headerCapture, EventWriter writer, EventIds ids,
            Clock clock) {
        this.sources = sources;
        this.headerCapture = headerCapture;
        this.writer = writer;
        this.ids = ids;
        this.clock = clock;
    }

    public Uni<IngestResult> ingest(String sourceName, WebhookRequest request) {
        Optional<Source> found = sources.find(sourceName);
        if (found.isEmpty()) {
            return Uni.createFrom().item(new IngestResult.UnknownSource(sourceName));
        }
        Source source = found.get();
        Verdict verdict = source.verifier().verify(request);
        if (!verdict.isValid()) {
            return Uni.createFrom().item(new IngestResult.Rejected(verdict));
        }
        Extraction extraction = source.extractor().extract(request);
        if (extraction instanceof Extraction.Malformed malformed) {
            return Uni.createFrom().item(new IngestResult.Malformed(malformed.detail()));
        }
        if (extraction instanceof Extraction.Challenge challenge) {
            return Uni.createFrom().item(new IngestResult.Challenge(challenge.challenge()));
        }
        List<NewEvent> rows = toRows(source, request, ((Extraction.Events) extraction).events());
        if (verdict.replayGuard().isEmpty()) {
            return writer.write(rows).map(IngestResult.Stored::new);
        }
        return writer.writeGuarded(rows, source.name(), verdict.replayGuard().get())
                .map(stored -> stored.<IngestResult>map(IngestResult.Stored::new).orElse(REPLAYED));
    }

    private List<NewEvent> toRows(Source source, WebhookRequest request, List<ExtractedEvent> events) {
        Instant receivedAt = clock.instant();
        String headers = headerCapture.toJson(request.headers());
        return events.stream()
                .map(event -> new NewEvent(ids.next(), source.name(), event.identity(), event.type(), event.subject(),
                        event.publish() ? EventStatus.PENDING : EventStatus.RECORDED, source.topic(), receivedAt,
                        request.body(), event.value(), headers))
                .toList();
    }
}
