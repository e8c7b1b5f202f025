package io.webhookingest.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.config.IngestConfig;

/**
 * Console sessions in Postgres, so that every instance knows them and signing out ends them everywhere. The cookie is
 * 256 random bits; the table holds only its SHA-256, the session's CSRF token, and the fingerprint of the admin token
 * it was opened with, so a session ends when the token is rotated.
 */
@ApplicationScoped
public class ConsoleSessions {

    static final Duration LIFETIME = Duration.ofHours(8);

    /** A signed-in session: its cookie value (only ever in the cookie) and the token its forms must carry. */
    public record Session(String cookie, String csrf) {

        @Override
        public String toString() {
            return "Session[…]";
        }
    }

    private static final String OPEN = """
            insert into console_session (cookie_sha256, csrf, token_fingerprint, expires_at) values ($1, $2, $3, $4)""";
    private static final String FORGET_EXPIRED = "delete from console_session where expires_at < now()";
    private static final String FIND = """
            select csrf from console_session where cookie_sha256 = $1 and token_fingerprint = $2
                and expires_at > now()""";
    private static final String END = "delete from console_session where cookie_sha256 = $1";

    private final Pool pool;
    private final Clock clock;
    private final String tokenFingerprint;
    private final SecureRandom random = new SecureRandom();

    ConsoleSessions(Pool pool, Clock clock, IngestConfig config) {
        this.pool = pool;
        this.clock = clock;
        this.tokenFingerprint = sha256(config.admin().token().orElse("")).substring(0, 16);
    }

    /** Opens a session; expired ones of anyone are forgotten on the way. */
    public Uni<Session> open() {
        Session session = new Session(randomToken(), randomToken());
        return pool.query(FORGET_EXPIRED).execute().flatMap(forgotten -> pool.preparedQuery(OPEN).execute(
                Tuple.of(sha256(session.cookie()), session.csrf(), tokenFingerprint,
                        clock.instant().plus(LIFETIME).atOffset(ZoneOffset.UTC))))
                .replaceWith(session);
    }

    /** The session this cookie value opened, while it lasts and the admin token is the one it was opened with. */
    public Uni<Optional<Session>> find(String cookie) {
        return pool.preparedQuery(FIND).execute(Tuple.of(sha256(cookie), tokenFingerprint)).map(rows -> {
            Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
            return Optional.ofNullable(row).map(found -> new Session(cookie, found.getString(0)));
        });
    }

    public Uni<Void> end(String cookie) {
        return pool.preparedQuery(END).execute(Tuple.of(sha256(cookie))).replaceWithVoid();
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
