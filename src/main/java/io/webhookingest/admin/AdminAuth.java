package io.webhookingest.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.webhookingest.config.DemoSecrets;
import io.webhookingest.config.IngestConfig;
import io.webhookingest.ingest.Problem;

/**
 * Guards {@code /admin}: without a configured token the admin API does not exist (404); with one, every request must
 * carry {@code Authorization: Bearer <token>} (401 otherwise), compared in constant time. A token that is guessable
 * stops the application at startup: shorter than {@link #MIN_TOKEN_LENGTH}, or the dev profile's demo token in a
 * packaged run.
 */
@Startup
@ApplicationScoped
public class AdminAuth {

    static final String BEARER = "Bearer ";
    static final int MIN_TOKEN_LENGTH = 32;

    private final Optional<byte[]> expected;
    private final AdminReplies replies;

    AdminAuth(IngestConfig config, AdminReplies replies) {
        Optional<String> token = config.admin().token().filter(t -> !t.isBlank());
        token.ifPresent(AdminAuth::refuseWeak);
        this.expected = token.map(t -> (BEARER + t).getBytes(StandardCharsets.UTF_8));
        this.replies = replies;
    }

    private static void refuseWeak(String token) {
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalStateException("ingest.admin.token is shorter than " + MIN_TOKEN_LENGTH
                    + " characters; generate one, e.g. with openssl rand -hex 32");
        }
        if (LaunchMode.current() == LaunchMode.NORMAL && DemoSecrets.isDemo(token)) {
            throw new IllegalStateException("ingest.admin.token is the dev profile's demo token, which anyone can read"
                    + " in the source code; generate one, e.g. with openssl rand -hex 32");
        }
    }

    /** True when the API is enabled, i.e. a token is configured. */
    public boolean enabled() {
        return expected.isPresent();
    }

    /** True when the header value is {@code Bearer <the token>}. */
    public boolean accepts(String authorization) {
        return expected.isPresent() && authorization != null
                && MessageDigest.isEqual(expected.get(), authorization.getBytes(StandardCharsets.UTF_8));
    }

    /** True when this is the token itself, as an operator types it to sign in to the console. */
    public boolean acceptsToken(String token) {
        return token != null && accepts(BEARER + token);
    }

    void authorize(RoutingContext context) {
        if (expected.isEmpty()) {
            replies.problem(context, Problem.of(404, "admin_disabled", "Admin API disabled",
                    "The admin API is enabled by setting ingest.admin.token"));
            return;
        }
        if (!accepts(context.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            context.response().putHeader("WWW-Authenticate", "Bearer realm=\"webhook-ingest admin\"");
            replies.problem(context, Problem.of(401, "unauthorized", "Unauthorized",
                    "The admin API requires Authorization: Bearer <ingest.admin.token>"));
            return;
        }
        context.next();
    }
}
