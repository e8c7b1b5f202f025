package io.webhookingest.console;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.webhookingest.testing.KafkaBrokerResource;
import io.webhookingest.testing.Management;

/**
 * Console sessions: the cookie's flags, and sessions that no longer count: expired ones, and those opened under an
 * admin token that has since been rotated.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ConsoleSessionsTest {

    @Inject
    Pool pool;

    @Test
    void signingInOverHttpsSetsASecureHttpOnlyStrictCookieForEightHours() {
        Management.given().redirects().follow(false).header("X-Forwarded-Proto", "https")
                .contentType("application/x-www-form-urlencoded").formParam("token", Management.ADMIN_TOKEN)
                .post("/console/login").then().statusCode(303).header("Location", "/console/overview")
                .header("Set-Cookie", allOf(containsString(ConsoleRoutes.COOKIE + "="), containsStringIgnoringCase("HttpOnly"),
                        containsString("Secure"), containsString("SameSite=Strict"),
                        containsString("Max-Age=" + ConsoleSessions.LIFETIME.toSeconds()),
                        containsString("Path=/console")));
    }

    @Test
    void aSessionOpenedUnderAnotherAdminTokenOrExpiredIsRefused() {
        String current = sessionFingerprint();
        insertSession("cookie-of-a-rotated-token", "0123456789abcdef", "now() + interval '1 hour'");
        insertSession("cookie-of-an-expired-session", current, "now() - interval '1 second'");
        insertSession("cookie-that-is-valid", current, "now() + interval '1 hour'");

        overview("cookie-of-a-rotated-token").statusCode(303).header("Location", equalTo("/console/login"));
        overview("cookie-of-an-expired-session").statusCode(303).header("Location", equalTo("/console/login"));
        overview("cookie-that-is-valid").statusCode(200);
    }

    /** The fingerprint the sessions this instance opens carry: that of a session just opened by signing in. */
    private String sessionFingerprint() {
        Management.given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("token", Management.ADMIN_TOKEN).post("/console/login").then().statusCode(303);
        return pool.query("select token_fingerprint from console_session limit 1").execute().await()
                .atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
    }

    private void insertSession(String cookie, String tokenFingerprint, String expiresAt) {
        pool.preparedQuery("insert into console_session (cookie_sha256, csrf, token_fingerprint, expires_at)"
                + " values ($1, 'csrf', $2, " + expiresAt + ")").execute(Tuple.of(ConsoleSessions.sha256(cookie),
                        tokenFingerprint)).await().atMost(Duration.ofSeconds(10));
    }

    private static ValidatableResponse overview(String cookie) {
        return Management.given().redirects().follow(false).cookie(ConsoleRoutes.COOKIE, cookie)
                .get("/console/overview").then();
    }
}
