package io.webhookingest.ingest;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.webhookingest.store.EventStatus;
import io.webhookingest.store.StoreBusyException;
import io.webhookingest.store.StoredEvent;
import io.webhookingest.verify.Verdict;

/** Maps each {@link IngestResult} to its HTTP answer. */
@ApplicationScoped
public class WebhookResponses {

    private static final Logger LOG = Logger.getLogger(WebhookResponses.class);

    /** Seconds a sender should wait before retrying while the store is unavailable. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final Problems problems;

    WebhookResponses(Problems problems) {
        this.problems = problems;
    }

    Response toResponse(IngestResult result) {
        if (result instanceof IngestResult.Stored stored) {
            return Response.ok(receipt(stored.events()), MediaType.APPLICATION_JSON_TYPE).build();
        }
        if (result instanceof IngestResult.UnknownSource unknown) {
            return problems.response(Problem.of(404, "unknown_source", "Unknown source",
                    "No webhook source is named '" + unknown.name() + "'"));
        }
        if (result instanceof IngestResult.Rejected rejected) {
            Verdict verdict = rejected.verdict();
            return Response.fromResponse(problems.response(Problem.of(401, verdict.rejection().reason(),
                    verdict.rejection().title(), verdict.detail())))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Signature realm=\"webhooks\"")
                    .build();
        }
        if (result instanceof IngestResult.Challenge challenge) {
            return Response.ok(Map.of("challenge", challenge.challenge()), MediaType.APPLICATION_JSON_TYPE).build();
        }
        if (result instanceof IngestResult.TooLarge tooLarge) {
            return tooLarge(tooLarge.limit());
        }
        IngestResult.Malformed malformed = (IngestResult.Malformed) result;
        return problems.response(Problem.of(400, "malformed_body", "Malformed body", malformed.detail()
                + "; the request is kept for an operator to release").withQuarantinedEvent(malformed.kept()));
    }

    Response tooLarge(long limit) {
        return Response.fromResponse(problems.response(Problem.of(413, "too_large", "Body too large",
                "This source accepts bodies of at most " + limit + " bytes")))
                .header("Connection", "close")
                .build();
    }

    /** The answer when the events could not be committed: nothing is acknowledged, so the sender should retry. */
    Response unavailable(Throwable failure) {
        String detail;
        if (failure instanceof StoreBusyException busy) {
            detail = busy.getMessage() + "; the event was not accepted, retry later";
        } else {
            LOG.warnf("Could not store a delivery: %s", failure.toString());
            detail = "The event could not be stored durably and was not accepted; retry later";
        }
        return Response.fromResponse(problems.response(Problem.of(503, "store_unavailable", "Store unavailable",
                detail)))
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .build();
    }

    private static Receipt receipt(List<StoredEvent> events) {
        List<Receipt.Item> items = events.stream().map(e -> new Receipt.Item(e.id(), itemStatus(e))).toList();
        boolean anyCreated = events.stream().anyMatch(StoredEvent::created);
        return new Receipt(anyCreated ? Receipt.ACCEPTED : Receipt.DUPLICATE, items);
    }

    private static String itemStatus(StoredEvent event) {
        if (!event.created()) {
            return Receipt.DUPLICATE;
        }
        return event.status() == EventStatus.RECORDED ? Receipt.RECORDED : Receipt.ACCEPTED;
    }
}
