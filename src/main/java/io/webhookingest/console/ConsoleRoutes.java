package io.webhookingest.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.vertx.http.ManagementInterface;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.webhookingest.admin.AdminAuth;
import io.webhookingest.admin.AdminService;
import io.webhookingest.admin.EventFilter;
import io.webhookingest.admin.EventSummary;
import io.webhookingest.admin.SourceAdmin;
import io.webhookingest.observe.RefusedDelivery;
import io.webhookingest.observe.RejectionStore;
import io.webhookingest.observe.RollupStore;
import io.webhookingest.relay.OutboxBacklog;
import io.webhookingest.relay.OutboxRelay;

/**
 * The console under {@code /console} on the management interface: server-side pages (Qute) over the services the
 * admin API uses. Signing in with the admin token opens a session (an HttpOnly, SameSite=Strict cookie, known to
 * every instance); every form that changes state carries the session's CSRF token; pages allow scripts and styles
 * from the console itself only, and never embed a secret.
 */
@ApplicationScoped
public class ConsoleRoutes {

    static final String PREFIX = "/console";
    static final String COOKIE = "webhook_ingest_console";
    static final String SESSION = "console.session";
    static final int PAGE_SIZE = 100;
    private static final Logger LOG = Logger.getLogger(ConsoleRoutes.class);
    private static final String SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** What an action did, by the word the redirect after it carries; anything else shows nothing. */
    private static final Map<String, String> DONE = Map.of(
            "replayed", "Queued for publication again, with the same CloudEvent id",
            "released", "Released: read again with the current configuration, stored and queued for publication",
            "deleted", "Deleted");

    private static final String REPLAY_PROBLEM = "Replay takes published (the default) or failed events, and since and"
            + " until as instants such as 2026-01-31T00:00:00Z";
    static final List<String> STATUSES = List.of("pending", "published", "recorded", "quarantined", "released",
            "failed");

    private final AdminAuth auth;
    private final AdminService admin;
    private final ConsoleEvents events;
    private final ConsoleSessions sessions;
    private final ConsoleAssets assets;
    private final SourceAdmin sourceAdmin;
    private final RollupStore rollup;
    private final RejectionStore rejections;
    private final OutboxBacklog backlog;
    private final OutboxRelay relay;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Template login;
    private final Template overview;
    private final Template rejectionsPage;
    private final Template sourcesPage;
    private final Template eventsPage;
    private final Template eventPage;
    private final Template replayPage;

    ConsoleRoutes(AdminAuth auth, AdminService admin, ConsoleEvents events, ConsoleSessions sessions, ConsoleAssets assets, SourceAdmin sourceAdmin,
            RollupStore rollup, RejectionStore rejections, OutboxBacklog backlog, OutboxRelay relay,
            ObjectMapper mapper, Clock clock, Engine engine) {
        this.auth = auth;
        this.admin = admin;
        this.events = events;
        this.sessions = sessions;
        this.assets = assets;
        this.sourceAdmin = sourceAdmin;
        this.rollup = rollup;
        this.rejections = rejections;
        this.backlog = backlog;
        this.relay = relay;
        this.mapper = mapper;
        this.clock = clock;
        this.login = engine.getTemplate("console/login");
        this.overview = engine.getTemplate("console/overview");
        this.rejectionsPage = engine.getTemplate("console/rejections");
        this.sourcesPage = engine.getTemplate("console/sources");
        this.eventsPage = engine.getTemplate("console/events");
        this.eventPage = engine.getTemplate("console/event");
        this.replayPage = engine.getTemplate("console/replay");
    }

    void install(@Observes ManagementInterface management) {
        Router router = management.router();
        router.route(PREFIX + "*").handler(this::secure);
        router.get(PREFIX + "/assets/:file").handler(assets::serve);
        router.get(PREFIX + "/login").handler(context -> render(context, 200, login, Map.of("failed", false)));
        router.post(PREFIX + "/login").handler(this::signIn);
        router.route(PREFIX + "*").handler(this::requireSession);
        router.get(PREFIX).handler(context -> redirect(context, PREFIX + "/overview"));
        router.get(PREFIX + "/").handler(context -> redirect(context, PREFIX + "/overview"));
        router.post(PREFIX + "/logout").handler(this::signOut);
        router.get(PREFIX + "/overview").handler(this::overview);
        router.get(PREFIX + "/rejections").handler(this::rejections);
        router.get(PREFIX + "/sources").handler(this::sources);
        router.get(PREFIX + "/events").handler(this::events);
        router.get(PREFIX + "/replay").handler(this::replayPreview);
        router.post(PREFIX + "/replay").handler(this::replayAll);
        router.get(PREFIX + "/events/:id").handler(this::event);
        router.post(PREFIX + "/events/:id/replay").handler(context -> act(context, id -> admin.replay(id)
                .map(outcome -> outcome instanceof AdminService.ReplayOutcome.Refused refused ? refused.detail()
                        : outcome instanceof AdminService.ReplayOutcome.NotFound ? "No such event" : null),
                "replayed"));
        router.post(PREFIX + "/events/:id/release").handler(context -> act(context, id -> admin.release(id)
                .map(outcome -> outcome instanceof AdminService.ReleaseOutcome.Refused refused ? refused.detail()
                        : outcome instanceof AdminService.ReleaseOutcome.NotFound ? "No such event" : null),
                "released"));
        router.post(PREFIX + "/events/:id/delete").handler(context -> act(context, id -> admin.deleteQuarantined(id)
                .map(outcome -> outcome instanceof AdminService.DeleteOutcome.Refused refused ? refused.detail()
                        : outcome instanceof AdminService.DeleteOutcome.NotFound ? "No such event" : null),
                "deleted"));
        router.route(PREFIX + "*").handler(context -> context.response().setStatusCode(404)
                .putHeader("Content-Type", "text/plain; charset=utf-8").end("No such console page"));
    }

    /** Headers every console answer carries; without an admin token the console does not exist. */
    private void secure(RoutingContext context) {
        if (!auth.enabled()) {
            context.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("The console is enabled by setting ingest.admin.token");
            return;
        }
        context.response().putHeader("Content-Security-Policy", SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY");
        context.next();
    }

    private void signIn(RoutingContext context) {
        String token = form(context).get("token");
        if (!auth.acceptsToken(token)) {
            render(context, 401, login, Map.of("failed", true));
            return;
        }
        sessions.open().subscribe().with(session -> {
            Cookie cookie = Cookie.cookie(COOKIE, session.cookie()).setPath(PREFIX).setHttpOnly(true)
                    .setSameSite(CookieSameSite.STRICT).setSecure(isHttps(context))
                    .setMaxAge(ConsoleSessions.LIFETIME.toSeconds());
            context.response().addCookie(cookie);
            redirect(context, PREFIX + "/overview");
        }, failure -> unavailable(context, failure));
    }

    private void requireSession(RoutingContext context) {
        Cookie cookie = context.request().getCookie(COOKIE);
        if (cookie == null || cookie.getValue().isBlank()) {
            redirect(context, PREFIX + "/login");
            return;
        }
        sessions.find(cookie.getValue()).subscribe().with(session -> {
            if (session.isEmpty()) {
                redirect(context, PREFIX + "/login");
                return;
            }
            if (context.request().method().name().equals("POST") && !csrfMatches(context, session.get())) {
                context.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end("This form is out of date or was not sent by the console; reload the page");
                return;
            }
            context.put(SESSION, session.get());
            context.next();
        }, failure -> unavailable(context, failure));
    }

    private boolean csrfMatches(RoutingContext context, ConsoleSessions.Session session) {
        String sent = form(context).get("csrf");
        return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                session.csrf().getBytes(StandardCharsets.UTF_8));
    }

    private void signOut(RoutingContext context) {
        ConsoleSessions.Session session = context.get(SESSION);
        sessions.end(session.cookie()).subscribe().with(ended -> {
            context.response().addCookie(Cookie.cookie(COOKIE, "").setPath(PREFIX).setHttpOnly(true)
                    .setSameSite(CookieSameSite.STRICT).setMaxAge(0));
            redirect(context, PREFIX + "/login");
        }, failure -> unavailable(context, failure));
    }

    private void overview(RoutingContext context) {
        boolean day = "24h".equals(context.request().getParam("range"));
        Instant until = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        Instant from = until.minus(day ? Duration.ofHours(24) : Duration.ofHours(1));
        OutboxRelay.Failure failure = relay.lastFailure();
        ConsoleViews.Relay status = new ConsoleViews.Relay(relay.isPublishing(), backlog.size(),
                backlog.oldestAge().toSeconds(), backlog.failed(), backlog.quarantined(),
                backlog.oldestQuarantinedAge().toSeconds(), failure == null ? "" : failure.at() + ": "
                        + failure.cause());
        show(context, rollup.range(Optional.empty(), from, until), minutes -> Map.of("page", "overview",
                "day", day, "relay", status, "charts", ConsoleCharts.of(minutes, from, until, mapper)), overview);
    }

    private void rejections(RoutingContext context) {
        String source = blankAsNull(context.request().getParam("source"));
        long before;
        try {
            String raw = blankAsNull(context.request().getParam("before"));
            before = raw == null ? Long.MAX_VALUE : Long.parseLong(raw);
        } catch (NumberFormatException e) {
            before = Long.MAX_VALUE;
        }
        show(context, rejections.newest(Optional.ofNullable(source), before, PAGE_SIZE), found -> {
            Map<String, Object> data = new HashMap<>();
            data.put("page", "rejections");
            data.put("source", source == null ? "" : source);
            data.put("rejections", found.stream().map(ConsoleRoutes::rejectionView).toList());
            data.put("next", found.size() < PAGE_SIZE ? "" : PREFIX + "/rejections?" + queryString(
                    Map.of("source", source == null ? "" : source), List.of("source")) + "&before="
                    + found.get(PAGE_SIZE - 1).id());
            return data;
        }, rejectionsPage);
    }

    /** The events matching the filter, newest first, a page at a time; an id or an identity opens that event. */
    private void events(RoutingContext context) {
        Map<String, String> query = new HashMap<>();
        for (String name : List.of("source", "type", "status", "since", "until", "subject", "identity", "id",
                "before")) {
            String value = blankAsNull(context.request().getParam(name));
            query.put(name, value == null ? "" : value);
        }
        String id = query.get("id");
        if (!id.isEmpty()) {
            redirect(context, PREFIX + "/events/" + parseId(id).map(UUID::toString).orElse("unknown"));
            return;
        }
        if (!query.get("identity").isEmpty() && !query.get("source").isEmpty()) {
            admin.findByIdentity(query.get("source"), query.get("identity")).subscribe().with(found -> {
                if (found.isPresent()) {
                    redirect(context, PREFIX + "/events/" + found.get());
                    return;
                }
                Map<String, Object> data = eventsPage(query, List.of(), "No event of " + query.get("source")
                        + " has that identity");
                data.put("csrf", csrf(context));
                render(context, 200, eventsPage, data);
            }, failure -> unavailable(context, failure));
            return;
        }
        if (!query.get("type").isEmpty() && query.get("source").isEmpty()) {
            show(context, Uni.createFrom().item(List.<EventSummary>of()), none -> eventsPage(query, none,
                    "Filter by type within a source: each source names its own types"), eventsPage);
            return;
        }
        EventFilter filter;
        try {
            filter = new EventFilter(optional(query, "source"), optional(query, "type"), optional(query, "status"),
                    optional(query, "since").map(Instant::parse), optional(query, "until").map(Instant::parse),
                    optional(query, "subject"), optional(query, "before").flatMap(ConsoleRoutes::parseId));
        } catch (DateTimeParseException e) {
            show(context, Uni.createFrom().item(List.<EventSummary>of()), none -> eventsPage(query, none,
                    "Since and until are instants such as 2026-01-31T00:00:00Z"), eventsPage);
            return;
        }
        boolean deleted = "deleted".equals(context.request().getParam("done"));
        show(context, admin.list(filter, PAGE_SIZE), found -> {
            Map<String, Object> data = eventsPage(query, found, query.get("identity").isEmpty() ? ""
                    : "Finding by identity needs a source");
            data.put("done", deleted ? DONE.get("deleted") : "");
            return data;
        }, eventsPage);
    }

    private static Map<String, Object> eventsPage(Map<String, String> query, List<EventSummary> found,
            String message) {
        Map<String, Object> data = new HashMap<>(query);
        data.put("page", "events");
        data.put("done", "");
        data.put("replayLink", PREFIX + "/replay?" + queryString(query, List.of("source", "type", "status", "since",
                "until")));
        data.put("statuses", STATUSES);
        data.put("message", message);
        data.put("events", found.stream().map(event -> new ConsoleViews.EventRow(event.id().toString(),
                event.receivedAt().toString(), event.source(), text(event.type()), text(event.subject()),
                event.status())).toList());
        data.put("next", found.size() < PAGE_SIZE ? "" : PREFIX + "/events?" + queryString(query, List.of("source",
                "type", "status", "since", "until", "subject")) + "&before=" + found.get(PAGE_SIZE - 1).id());
        return data;
    }

    /** The named parameters that have a value, URL-encoded. */
    private static String queryString(Map<String, String> query, List<String> names) {
        StringBuilder encoded = new StringBuilder();
        for (String name : names) {
            String value = query.getOrDefault(name, "");
            if (!value.isEmpty()) {
                encoded.append(encoded.length() == 0 ? "" : "&").append(name).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return encoded.toString();
    }

    private void event(RoutingContext context) {
        Optional<UUID> id = parseId(context.pathParam("id"));
        if (id.isEmpty()) {
            render(context, 404, eventPage, Map.of("page", "events", "found", false, "csrf", csrf(context),
                    "done", "", "problem", ""));
            return;
        }
        showEvent(context, id.get(), DONE.getOrDefault(String.valueOf(context.request().getParam("done")), ""),
                "");
    }

    private void showEvent(RoutingContext context, UUID id, String done, String problem) {
        admin.describe(id).subscribe().with(found -> safely(context, () -> {
            Map<String, Object> data = new HashMap<>();
            data.put("page", "events");
            data.put("found", found.isPresent());
            found.ifPresent(event -> data.put("event", events.view(event)));
            data.put("done", done);
            data.put("problem", problem);
            data.put("csrf", csrf(context));
            render(context, found.isEmpty() ? 404 : problem.isEmpty() ? 200 : 409, eventPage, data);
        }), failure -> unavailable(context, failure));
    }

    /**
     * Runs an action on one event: once done, it shows the event again (the events after a deletion) saying what
     * happened; refused, it shows the event with the reason.
     */
    private void act(RoutingContext context, Function<UUID, Uni<String>> action, String done) {
        Optional<UUID> id = parseId(context.pathParam("id"));
        if (id.isEmpty()) {
            redirect(context, PREFIX + "/events");
            return;
        }
        action.apply(id.get()).subscribe().with(refusal -> safely(context, () -> {
            if (refusal != null) {
                showEvent(context, id.get(), "", refusal);
            } else if (done.equals("deleted")) {
                redirect(context, PREFIX + "/events?done=deleted");
            } else {
                redirect(context, PREFIX + "/events/" + id.get() + "?done=" + done);
            }
        }), failure -> unavailable(context, failure));
    }

    /** Bulk replay, first as a dry run: how many events the filter covers, then a form to confirm it. */
    private void replayPreview(RoutingContext context) {
        Map<String, String> query = replayQuery(name -> context.request().getParam(name));
        Optional<EventFilter> filter = replayFilter(query);
        Map<String, Object> data = new HashMap<>(query);
        data.put("page", "events");
        data.put("done", blankAsNull(context.request().getParam("done")) == null ? ""
                : context.request().getParam("done").replaceAll("[^0-9]", ""));
        if (filter.isEmpty()) {
            data.put("problem", REPLAY_PROBLEM);
            data.put("count", "");
            show(context, Uni.createFrom().item(data), Function.identity(), replayPage);
            return;
        }
        data.put("problem", "");
        if (query.get("until").isEmpty()) {
            // What is confirmed is what was counted: events published after this preview are left out.
            data.put("until", clock.instant().toString());
            filter = replayFilter(Map.of("source", query.get("source"), "type", query.get("type"), "status",
                    query.get("status"), "since", query.get("since"), "until", (String) data.get("until")));
        }
        show(context, admin.countReplayable(filter.get()).map(count -> {
            data.put("count", Long.toString(count));
            return data;
        }), Function.identity(), replayPage);
    }

    private void replayAll(RoutingContext context) {
        Map<String, String> form = form(context);
        Map<String, String> query = replayQuery(form::get);
        Optional<EventFilter> filter = replayFilter(query);
        if (filter.isEmpty()) {
            redirect(context, PREFIX + "/replay");
            return;
        }
        admin.replayAll(filter.get()).subscribe().with(count -> redirect(context, PREFIX + "/replay?"
                + queryString(query, List.of("source", "type", "status", "since", "until")) + "&done=" + count),
                failure -> unavailable(context, failure));
    }

    private static Map<String, String> replayQuery(Function<String, String> parameter) {
        Map<String, String> query = new HashMap<>();
        for (String name : List.of("source", "type", "status", "since", "until")) {
            String value = blankAsNull(parameter.apply(name));
            query.put(name, value == null ? "" : value);
        }
        return query;
    }

    /** Only published (the default) or failed events are replayed; empty when the filter is not one of those. */
    private static Optional<EventFilter> replayFilter(Map<String, String> query) {
        Optional<String> status = optional(query, "status");
        if (status.filter(value -> !value.equals("published") && !value.equals("failed")).isPresent()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new EventFilter(optional(query, "source"), optional(query, "type"), status,
                    optional(query, "since").map(Instant::parse), optional(query, "until").map(Instant::parse)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> optional(Map<String, String> query, String name) {
        String value = query.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<UUID> parseId(String raw) {
        try {
            return raw == null ? Optional.empty() : Optional.of(UUID.fromString(raw.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String csrf(RoutingContext context) {
        return ((ConsoleSessions.Session) context.get(SESSION)).csrf();
    }

    @SuppressWarnings("unchecked")
    private void sources(RoutingContext context) {
        Uni<Map<String, Object>> data = sourceAdmin.list().flatMap(listed -> rollup.lastSeen().map(seen -> {
            Map<String, Object> body = (Map<String, Object>) ((SourceAdmin.Outcome.Done) listed).body();
            List<ConsoleViews.Source> views = new ArrayList<>();
            for (Map<String, Object> source : (List<Map<String, Object>>) body.get("sources")) {
                views.add(sourceView(source, seen.getOrDefault((String) source.get("name"), Map.of())));
            }
            return Map.of("page", "sources", "sources", views);
        }));
        show(context, data, Function.identity(), sourcesPage);
    }

    @SuppressWarnings("unchecked")
    private static ConsoleViews.Source sourceView(Map<String, Object> source, Map<String, Instant> seen) {
        List<ConsoleViews.Secret> secrets = ((List<Map<String, Object>>) source.get("secrets")).stream()
                .map(secret -> new ConsoleViews.Secret((String) secret.get("fingerprint"),
                        text(secret.get("notAfter")), text(secret.get("lastVerifiedAt")),
                        Boolean.TRUE.equals(secret.get("expired"))))
                .toList();
        Instant accepted = seen.get("accepted");
        Instant duplicate = seen.get("duplicate");
        Instant lastAccepted = accepted == null || duplicate != null && duplicate.isAfter(accepted) ? duplicate
                : accepted;
        return new ConsoleViews.Source((String) source.get("name"), (String) source.get("origin"),
                Boolean.TRUE.equals(source.get("enabled")), text(source.get("provider")), text(source.get("topic")),
                (List<String>) source.getOrDefault("routes", List.of()), text(source.get("maxBodySize")), secrets,
                lastAccepted == null ? "" : lastAccepted.toString(),
                seen.containsKey("rejected") ? seen.get("rejected").toString() : "",
                (List<String>) source.getOrDefault("problems", List.of()));
    }

    private static ConsoleViews.Rejection rejectionView(RefusedDelivery refused) {
        return new ConsoleViews.Rejection(refused.receivedAt().toString(), refused.source(), refused.status(),
                refused.reason(), refused.detail(), refused.hint().orElse(""), refused.remoteAddress().orElse(""),
                String.join(", ", refused.headerNames()),
                refused.bodySize().isPresent() ? Long.toString(refused.bodySize().getAsLong()) : "",
                refused.bodySha256().orElse(""));
    }

    private <T> void show(RoutingContext context, Uni<T> work, Function<T, Map<String, Object>> data,
            Template template) {
        work.subscribe().with(result -> safely(context, () -> {
            Map<String, Object> values = new HashMap<>(data.apply(result));
            values.put("csrf", ((ConsoleSessions.Session) context.get(SESSION)).csrf());
            render(context, 200, template, values);
        }), failure -> unavailable(context, failure));
    }

    private static void render(RoutingContext context, int status, Template template, Map<String, Object> data) {
        String html = template.data(data).render();
        context.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end(html);
    }

    private static void redirect(RoutingContext context, String location) {
        context.response().setStatusCode(303).putHeader("Location", location).end();
    }

    private static void unavailable(RoutingContext context, Throwable failure) {
        LOG.warnf("A console page could not be served: %s", failure.toString());
        if (!context.response().ended()) {
            context.response().setStatusCode(503).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("The console could not read what this page shows (is Postgres reachable?); try again"
                            + " shortly");
        }
    }

    /** Builds and writes a page; a defect while doing so is answered 500 and logged, never left hanging. */
    private static void safely(RoutingContext context, Runnable page) {
        try {
            page.run();
        } catch (RuntimeException e) {
            LOG.error("A console page failed", e);
            if (!context.response().ended()) {
                context.response().setStatusCode(500).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end("This page failed; the cause is in the log");
            }
        }
    }

    /** The fields of a form post ({@code application/x-www-form-urlencoded}); empty when there is none. */
    private static Map<String, String> form(RoutingContext context) {
        String body = context.body() == null ? null : context.body().asString();
        Map<String, String> fields = new HashMap<>();
        if (body != null && !body.isEmpty()) {
            new QueryStringDecoder(body, StandardCharsets.UTF_8, false).parameters()
                    .forEach((name, values) -> fields.put(name, values.get(0)));
        }
        return fields;
    }

    private static boolean isHttps(RoutingContext context) {
        return "https".equalsIgnoreCase(context.request().scheme())
                || "https".equalsIgnoreCase(context.request().getHeader("X-Forwarded-Proto"));
    }

    private static String blankAsNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
