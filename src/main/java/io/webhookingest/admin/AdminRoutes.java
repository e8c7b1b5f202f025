package io.webhookingest.admin;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.quarkus.vertx.http.ManagementInterface;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.webhookingest.admin.AdminService.ReleaseOutcome;
import io.webhookingest.admin.AdminService.ReplayOutcome;
import io.webhookingest.ingest.Problem;
import io.webhookingest.observe.RefusedDelivery;
import io.webhookingest.observe.RejectionStore;
import io.webhookingest.observe.RollupStore;
import io.webhookingest.relay.OutboxBacklog;
import io.webhookingest.relay.OutboxRelay;
import io.webhookingest.store.EventStatus;

/**
 * The operators' API, on the management interface only (the public port serves deliveries alone): list and inspect
 * stored events, publish them again, release quarantined deliveries, and see what the relay is doing. Every request
 * needs the admin token ({@link AdminAuth}); every error is a problem document.
 */
@ApplicationScoped
public class AdminRoutes {

    static final String PREFIX = "/admin";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final Duration MAX_STATS_RANGE = Duration.ofHours(48);
    static final Set<String> STATUSES = Set.of("pending", "published", "recorded", "quarantined", "released",
            "failed");
    /** A media type as RFC 9110 writes it, parameters included; anything else is served as octet-stream. */
    private static final String TOKEN = "[A-Za-z0-9!#$&^_.+-]+";
    private static final Pattern MEDIA_TYPE = Pattern.compile(TOKEN + "/" + TOKEN
            + "(\\s*;\\s*" + TOKEN + "=(\"[^\"\\\\\\p{Cntrl}]*\"|" + TOKEN + "))*");

    private final AdminService admin;
    private final AdminAuth auth;
    private final AdminReplies replies;
    private final OutboxBacklog backlog;
    private final OutboxRelay relay;
    private final SourceRoutes sources;
    private final RejectionStore rejections;
    private final RollupStore rollup;
    private final Clock clock;
    private final ObjectReader replayRequests;

    AdminRoutes(AdminService admin, AdminAuth auth, AdminReplies replies, OutboxBacklog backlog, OutboxRelay relay,
            SourceRoutes sources, RejectionStore rejections, RollupStore rollup, Clock clock, ObjectMapper mapper) {
        this.rejections = rejections;
        this.rollup = rollup;
        this.clock = clock;
        this.admin = admin;
        this.auth = auth;
        this.replies = replies;
        this.backlog = backlog;
        this.relay = relay;
        this.sources = sources;
        this.replayRequests = mapper.readerFor(ReplayRequest.class)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The replay filter's JSON: every field optional; times are RFC 3339 instants. */
    public record ReplayRequest(String source, String type, String status, String since, String until) {
    }

    void install(@Observes ManagementInterface management) {
        Router router = management.router();
        router.route(PREFIX + "*").handler(auth::authorize).failureHandler(this::failed);
        router.get(PREFIX + "/events").handler(this::list);
        router.get(PREFIX + "/events/:id").handler(context -> withId(context, id -> detail(context, id)));
        router.get(PREFIX + "/events/:id/body").handler(context -> withId(context, id -> body(context, id)));
        router.post(PREFIX + "/events/:id/replay").handler(context -> withId(context, id -> replay(context, id)));
        router.post(PREFIX + "/events/:id/release").handler(context -> withId(context, id -> release(context, id)));
        router.delete(PREFIX + "/events/:id").handler(context -> withId(context, id -> delete(context, id)));
        router.post(PREFIX + "/replay").handler(this::replayAll);
        router.get(PREFIX + "/relay").handler(this::relayStatus);
        router.get(PREFIX + "/rejections").handler(this::rejections);
        router.get(PREFIX + "/stats").handler(this::stats);
        router.post(PREFIX + "/maintenance").handler(this::maintain);
        sources.install(router);
        router.route(PREFIX + "*").handler(context -> replies.problem(context, Problem.of(404, "not_found",
                "Not found", "No admin endpoint answers " + context.request().method() + " "
                        + context.request().path())));
    }

    /** A failure a handler did not answer itself (a body over the limit, an unexpected exception), as a problem. */
    private void failed(RoutingContext context) {
        if (context.statusCode() == 413) {
            replies.problem(context, Problem.of(413, "too_large", "Body too large",
                    "Admin requests carry small JSON documents, within quarkus.management.limits.max-body-size"));
        } else {
            replies.failed(context, context.failure() != null ? context.failure()
                    : new IllegalStateException("status " + context.statusCode()));
        }
    }

    private void list(RoutingContext context) {
        Integer size = limit(context.request().getParam("limit"));
        if (size == null) {
            replies.badRequest(context, "limit must be an integer between 1 and " + MAX_LIMIT);
            return;
        }
        String status = context.request().getParam("status");
        filter(context.request().getParam("source"), context.request().getParam("type"), status,
                context.request().getParam("since"), context.request().getParam("until")).ifPresentOrElse(
                        filter -> answer(context, admin.list(filter, size),
                                events -> replies.json(context, 200, Map.of("events", events))),
                        () -> replies.badRequest(context, filterProblem(status)));
    }

    /** The rejection log, newest first; {@code next} is the {@code before} of the following page. */
    private void rejections(RoutingContext context) {
        Integer size = limit(context.request().getParam("limit"));
        if (size == null) {
            replies.badRequest(context, "limit must be an integer between 1 and " + MAX_LIMIT);
            return;
        }
        long before;
        try {
            String raw = param(context, "before");
            before = raw == null ? Long.MAX_VALUE : Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            replies.badRequest(context, "before must be the id of a logged rejection, as in next");
            return;
        }
        answer(context, rejections.newest(Optional.ofNullable(param(context, "source")), before, size),
                found -> {
                    Map<String, Object> page = new LinkedHashMap<>();
                    page.put("rejections", found.stream().map(AdminRoutes::rejectionView).toList());
                    page.put("next", found.size() == size ? Long.toString(found.get(size - 1).id()) : null);
                    replies.json(context, 200, page);
                });
    }

    /** The cluster-wide per-minute counts of {@code [since, until)}, by default the last hour. */
    private void stats(RoutingContext context) {
        Instant now = clock.instant();
        Instant since;
        Instant until;
        try {
            String rawSince = param(context, "since");
            String rawUntil = param(context, "until");
            until = rawUntil == null ? now.plus(Duration.ofMinutes(1)) : Instant.parse(rawUntil);
            since = rawSince == null ? until.minus(Duration.ofHours(1)) : Instant.parse(rawSince);
        } catch (DateTimeParseException e) {
            replies.badRequest(context, "since and until must be RFC 3339 instants such as 2026-01-31T00:00:00Z");
            return;
        }
        if (!since.isBefore(until) || Duration.between(since, until).compareTo(MAX_STATS_RANGE) > 0) {
            replies.badRequest(context, "since must be before until, and at most " + MAX_STATS_RANGE.toHours()
                    + " hours before it");
            return;
        }
        answer(context, rollup.range(Optional.ofNullable(param(context, "source")), since, until),
                minutes -> replies.json(context, 200, Map.of("minutes", minutes.stream().map(minute -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("minute", minute.minute().toString());
                    view.put("source", minute.source());
                    view.put("outcome", minute.outcome());
                    view.put("reason", minute.reason());
                    view.put("deliveries", minute.deliveries());
                    if (minute.outcome().equals("published")) {
                        view.put("delayMillisAvg", minute.delayMillisSum() / minute.deliveries());
                        view.put("delayMillisMax", minute.delayMillisMax());
                    }
                    return view;
                }).toList())));
    }

    /** A query parameter, absent when blank, as in a template such as {@code ?source=&before=}. */
    private static String param(RoutingContext context, String name) {
        String value = context.request().getParam(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static Map<String, Object> rejectionView(RefusedDelivery refused) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", Long.toString(refused.id()));
        view.put("receivedAt", refused.receivedAt().toString());
        view.put("source", refused.source());
        view.put("status", refused.status());
        view.put("reason", refused.reason());
        view.put("detail", refused.detail());
        view.put("hint", refused.hint().orElse(null));
        view.put("remoteAddress", refused.remoteAddress().orElse(null));
        view.put("headerNames", refused.headerNames());
        view.put("bodySize", refused.bodySize().isPresent() ? refused.bodySize().getAsLong() : null);
        view.put("bodySha256", refused.bodySha256().orElse(null));
        return view;
    }

    private void detail(RoutingContext context, UUID id) {
        answer(context, admin.describe(id), event -> event.ifPresentOrElse(
                found -> replies.json(context, 200, found.detail()), () -> notFound(context, id)));
    }

    /**
     * The raw bytes, served inert: always as an attachment and never sniffed, so that a sender's HTML cannot run in
     * an operator's browser; the stored content type is kept only when it is a well-formed media type.
     */
    private void body(RoutingContext context, UUID id) {
        answer(context, admin.find(id), event -> event.ifPresentOrElse(found -> {
            context.response().putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Content-Disposition", "attachment; filename=\"" + id + ".body\"")
                    .putHeader("Content-Security-Policy", "sandbox");
            AdminReplies.end(context, 200, contentType(admin.storedHeaders(found)), Buffer.buffer(found.body));
        }, () -> notFound(context, id)));
    }

    private void replay(RoutingContext context, UUID id) {
        answer(context, admin.replay(id), outcome -> {
            if (outcome instanceof ReplayOutcome.Replayed replayed) {
                replies.json(context, 202, Map.of("id", replayed.id(), "status", EventStatus.PENDING.label()));
            } else if (outcome instanceof ReplayOutcome.Refused refused) {
                replies.problem(context, Problem.of(409, "not_replayable", "Not replayable", refused.detail()));
            } else {
                notFound(context, id);
            }
        });
    }

    private void replayAll(RoutingContext context) {
        ReplayRequest body = replayRequest(context.body().asString());
        if (body == null) {
            // A misspelt field must not widen the replay to every event: unknown fields are refused.
            replies.badRequest(context, "The body must be a JSON object with only the optional fields source, type,"
                    + " status, since and until");
            return;
        }
        if (body.status() != null && !AdminService.REPLAYABLE.contains(body.status())) {
            replies.badRequest(context, "Only published or failed events are replayed; pending ones are on their"
                    + " way and others are never published");
            return;
        }
        filter(body.source(), body.type(), body.status(), body.since(), body.until()).ifPresentOrElse(
                filter -> answer(context, admin.replayAll(filter),
                        count -> replies.json(context, 200, Map.of("replayed", count))),
                () -> replies.badRequest(context, filterProblem(body.status())));
    }

    /** The replay filter, or null when the body is not a JSON object of the known fields. */
    private ReplayRequest replayRequest(String text) {
        if (text == null || text.isBlank()) {
            return new ReplayRequest(null, null, null, null, null);
        }
        try {
            return replayRequests.readValue(text);
        } catch (IOException e) {
            return null;
        }
    }

    private void release(RoutingContext context, UUID id) {
        answer(context, admin.release(id), outcome -> {
            if (outcome instanceof ReleaseOutcome.Released released) {
                replies.json(context, 200, Map.of("id", released.id(), "status", EventStatus.RELEASED.label(),
                        "events", released.events().stream().map(e -> Map.of("id", e.id(),
                                "status", e.created() ? e.status().label() : "duplicate")).toList()));
            } else if (outcome instanceof ReleaseOutcome.Refused refused) {
                replies.problem(context, Problem.of(409, "not_released", "Not released", refused.detail()));
            } else {
                notFound(context, id);
            }
        });
    }

    private void delete(RoutingContext context, UUID id) {
        answer(context, admin.deleteQuarantined(id), outcome -> {
            if (outcome instanceof AdminService.DeleteOutcome.Deleted) {
                context.response().setStatusCode(204).end();
            } else if (outcome instanceof AdminService.DeleteOutcome.Refused refused) {
                replies.problem(context, Problem.of(409, "not_deleted", "Not deleted", refused.detail()));
            } else {
                notFound(context, id);
            }
        });
    }

    /** Runs the storage maintenance now and says what it changed. */
    private void maintain(RoutingContext context) {
        long started = System.nanoTime();
        answer(context, admin.runMaintenance(), outcome -> {
            Map<String, Object> done = new LinkedHashMap<>();
            done.put("partitionsCreated", outcome.partitionsCreated());
            done.put("partitionsDropped", outcome.partitionsDropped());
            done.put("eventsKept", outcome.eventsKept());
            done.put("longestLockMillis", outcome.longestLock().toMillis());
            done.put("generationsDropped", outcome.generationsDropped());
            done.put("keptDeleted", outcome.keptDeleted());
            done.put("failures", outcome.failures());
            done.put("tookMillis", (System.nanoTime() - started) / 1_000_000);
            replies.json(context, 200, done);
        });
    }

    /** What the relay is doing, with the last failure's cause, which readiness does not show. */
    private void relayStatus(RoutingContext context) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("publishing", relay.isPublishing());
        status.put("backlog", backlog.size());
        status.put("oldestAgeSeconds", backlog.oldestAge().toSeconds());
        status.put("failed", backlog.failed());
        OutboxRelay.Failure failure = relay.lastFailure();
        if (failure != null) {
            status.put("lastFailureAt", failure.at().toString());
            status.put("lastFailure", failure.cause());
        }
        replies.json(context, 200, status);
    }

    private <T> void answer(RoutingContext context, Uni<T> work, Consumer<T> onSuccess) {
        work.subscribe().with(result -> {
            try {
                onSuccess.accept(result);
            } catch (RuntimeException e) {
                replies.failed(context, e);
            }
        }, failure -> replies.failed(context, failure));
    }

    private void withId(RoutingContext context, Consumer<UUID> action) {
        String raw = context.pathParam("id");
        UUID id;
        try {
            id = UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            replies.problem(context, Problem.of(404, "unknown_event", "Unknown event",
                    "Event ids are UUIDs; no event has this id"));
            return;
        }
        action.accept(id);
    }

    private void notFound(RoutingContext context, UUID id) {
        replies.problem(context, Problem.of(404, "unknown_event", "Unknown event", "No event has id " + id));
    }

    private static Integer limit(String raw) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            return value >= 1 && value <= MAX_LIMIT ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Optional<EventFilter> filter(String source, String type, String status, String since, String until) {
        if (status != null && !STATUSES.contains(status)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new EventFilter(Optional.ofNullable(source), Optional.ofNullable(type),
                    Optional.ofNullable(status), Optional.ofNullable(since).map(Instant::parse),
                    Optional.ofNullable(until).map(Instant::parse)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String filterProblem(String status) {
        if (status != null && !STATUSES.contains(status)) {
            return "status must be one of " + STATUSES;
        }
        return "since and until must be RFC 3339 instants such as 2026-01-31T00:00:00Z";
    }

    static String contentType(JsonNode headers) {
        JsonNode values = headers.path("content-type");
        String stored = values.isArray() && !values.isEmpty() ? values.get(0).asText().trim() : "";
        return MEDIA_TYPE.matcher(stored).matches() ? stored : "application/octet-stream";
    }
}
