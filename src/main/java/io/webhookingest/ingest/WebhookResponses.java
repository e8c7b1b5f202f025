package io.webhookingest.ingest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.LaunchMode;
import io.webhookingest.store.EventStatus;
import io.webhookingest.store.StoreBusyException;
import io.webhookingest.store.StoreTimeoutException;
import io.webhookingest.store.StoreUnavailableException;
import io.webhookingest.store.StoredEvent;
import io.webhookingest.verify.Verdict;

/** Maps each {@link IngestResult} to its HTTP answer. */
@Singleton
public class WebhookResponses {

    private static final Logger LOG = Logger.getLogger(WebhookResponses.class);

    /** Seconds a sender should wait before retrying while the store is unavailable. */
    static final int RETRY_AFTER_SECONDS = 5;
    static final String RETRY_AFTER = "Retry-After";

    private final Problems problems;
    private final ObjectMapper mapper;

    private final int managementPort;

    WebhookResponses(Problems problems, ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.management.port", defaultValue = "9000") int managementPort) {
        this.problems = problems;
        this.mapper = mapper;
        this.managementPort = managementPort;
    }

    HttpAnswer toAnswer(IngestResult result) {
        if (result instanceof IngestResult.Stored stored) {
            return new HttpAnswer(200, "application/json", Map.of(), receipt(stored.events()).toJson(),
                    Optional.empty());
        }
        if (result instanceof IngestResult.Rejected rejected) {
            Verdict verdict = rejected.verdict();
            return problem(Problem.of(401, verdict.rejection().reason(), verdict.rejection().title(),
                    verdict.detail()), Map.of("WWW-Authenticate", "Signature realm=\"webhooks\""));
        }
        if (result instanceof IngestResult.Challenge challenge) {
            return json(200, Map.of("challenge", challenge.challenge()));
        }
        IngestResult.Malformed malformed = (IngestResult.Malformed) result;
        return problem(Problem.of(400, "malformed_body", "Malformed body", malformed.detail()
                + "; the request is kept for an operator to release").withQuarantinedEvent(malformed.kept()));
    }

    HttpAnswer unknownSource(String name) {
        return problem(Problem.of(404, "unknown_source", "Unknown source",
                "No webhook source is named " + Verdict.quote(name)));
    }

    /**
     * Any path but {@code /webhooks/*}: this port serves deliveries only. Outside production it also says where
     * everything else is; on the internet that would only tell scanners where to look.
     */
    HttpAnswer notHere() {
        return problem(Problem.of(404, "not_found", "Not found", "This port serves POST /webhooks/{source} only"
                + (LaunchMode.current() == LaunchMode.NORMAL ? "" : "; health, metrics, the admin API and Swagger UI"
                        + " are on the management interface (port " + managementPort + ")")));
    }

    /** The in-flight byte budget is spent: the sender retries a 503, by which time other deliveries have left. */
    HttpAnswer overloaded() {
        return problem(Problem.of(503, "overloaded", "Overloaded",
                "Too many request bodies are being received at once; nothing was stored, retry later"),
                Map.of(RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS)));
    }

    HttpAnswer requestTimeout(long timeoutSeconds) {
        return problem(Problem.of(408, "request_timeout", "Request timeout", "The body did not arrive at the pace"
                + " its length calls for, or not within " + timeoutSeconds + " s; nothing was stored"));
    }

    HttpAnswer tooLarge(long limit) {
        return problem(Problem.of(413, "too_large", "Body too large",
                "This source accepts bodies of at most " + limit + " bytes"));
    }

    HttpAnswer methodNotAllowed() {
        return problem(Problem.of(405, "method_not_allowed", "Method not allowed", "Deliveries are POSTed"),
                Map.of("Allow", "POST"));
    }

    /**
     * The answer when the events could not be committed: nothing is acknowledged, so the sender should retry. A
     * failure that is not the store's is a defect: answered 500 and logged, rather than a 503 the sender would retry
     * forever.
     */
    HttpAnswer unavailable(Throwable failure) {
        if (!(failure instanceof StoreUnavailableException)) {
            LOG.error("A delivery failed unexpectedly", failure);
            return problem(Problem.of(500, "internal_error", "Internal error",
                    "The delivery could not be processed; nothing was stored"));
        }
        String detail;
        if (failure instanceof StoreBusyException busy) {
            detail = busy.getMessage() + "; the event was not accepted, retry later";
        } else if (failure instanceof StoreTimeoutException timeout) {
            detail = timeout.getMessage() + "; it may still be committed, and a retry is then answered as a duplicate";
        } else {
            LOG.warnf("Could not store a delivery: %s", failure.getCause() == null ? failure : failure.getCause());
            detail = "The event could not be stored durably and was not accepted; retry later";
        }
        return problem(Problem.of(503, "store_unavailable", "Store unavailable", detail),
                Map.of(RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS)));
    }

    private HttpAnswer json(int status, Object body) {
        try {
            return new HttpAnswer(status, "application/json", Map.of(), mapper.writeValueAsBytes(body),
                    Optional.empty());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answers always serialise", e);
        }
    }

    private HttpAnswer problem(Problem problem) {
        return problem(problem, Map.of());
    }

    private HttpAnswer problem(Problem problem, Map<String, String> headers) {
        return new HttpAnswer(problem.status(), Problem.MEDIA_TYPE, headers, problems.bytes(problem),
                Optional.of(problem));
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
