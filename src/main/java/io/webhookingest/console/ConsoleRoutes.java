package io.webhookingest.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    private final AdminAuth auth;
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

    ConsoleRoutes(AdminAuth auth, ConsoleSessions sessions, ConsoleAssets assets, SourceAdmin sourceAdmin,
            RollupStore rollup, RejectionStore rejections, OutboxBacklog backlog, OutboxRelay relay,
            ObjectMapper mapper, Clock clock, Engine engine) {
        this.auth = auth;
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
            data.put("next", found.size() == PAGE_SIZE ? Long.toString(found.get(PAGE_SIZE - 1).id()) : "");
            return data;
        }, rejectionsPage);
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
        work.subscribe().with(result -> {
            Map<String, Object> values = new HashMap<>(data.apply(result));
            values.put("csrf", ((ConsoleSessions.Session) context.get(SESSION)).csrf());
            render(context, 200, template, values);
        }, failure -> unavailable(context, failure));
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
                    .end("The console cannot reach Postgres right now; try again shortly");
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
